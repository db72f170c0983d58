/** Calendar days in Beijing time (pure: no browser API). Re-exported by ./i18n.ts. */
const isoDayFmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of an instant in Beijing time. */
export const beijingDay = (iso: string | number): string => isoDayFmt.format(new Date(iso));
