/**
 * The local AWS stand-ins (dynalite and s3rver) in a process of their own, so their work runs on
 * another core than the handlers'. Started by startLocalServices(); talks to its parent over IPC.
 */
import { startDynamo, startS3 } from './local-services.ts';
import type { StandInCredentials } from './stand-ins/credentials.ts';

type Command = { type: 'stop' };

const dataDir = process.env.DOCUHOOK_SERVICES_DATA_DIR;
const bucket = process.env.DOCUHOOK_SERVICES_BUCKET;
const keys = JSON.parse(process.env.DOCUHOOK_SERVICES_KEYS ?? 'null') as {
  credentials: StandInCredentials;
  uploadCredentials: StandInCredentials;
} | null;
delete process.env.DOCUHOOK_SERVICES_KEYS;
if (!dataDir || !bucket || !keys || !process.send)
  throw new Error('services-process must be started by startLocalServices()');
const send = process.send.bind(process);

const dynamo = await startDynamo(dataDir, keys);
const s3 = await startS3(dataDir, { bucket, ...keys });
s3.onObjectCreated((event) => send({ type: 's3-event', event }));

const stop = async () => {
  await Promise.allSettled([s3.close(), dynamo.close()]);
  process.exit(0);
};
process.on('message', (m: Command) => {
  if (m.type === 'stop') void stop();
});
// The parent died without saying goodbye: do not linger holding the data directory.
process.on('disconnect', () => void stop());
send({ type: 'ready', dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint });
