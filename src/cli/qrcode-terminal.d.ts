/** qrcode-terminal 0.12 ships no types: the part `epivault` uses. */
declare module 'qrcode-terminal' {
  interface QrcodeTerminal {
    generate(input: string, options: { small?: boolean }, callback: (qr: string) => void): void;
  }
  const qrcode: QrcodeTerminal;
  export default qrcode;
}
