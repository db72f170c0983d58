/**
 * The baseline of `bench read`: a Fastify hello-world route, in its own process, with the same
 * Fastify version as the application and no logger (Fastify's default). Prints its address on
 * stdout once listening.
 */
import Fastify from 'fastify';

const app = Fastify();
app.get('/hello', async () => ({ hello: 'world' }));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
process.once('SIGTERM', () => { void app.close().then(() => process.exit(0)); });
