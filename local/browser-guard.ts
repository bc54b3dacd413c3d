/**
 * Keeps web pages out of local mode's stand-ins for DynamoDB and S3. They listen on loopback,
 * which any page the developer opens can reach too (a fetch to 127.0.0.1:<port>), and unlike AWS
 * neither insists on credentials: dynalite ignores signatures and answers every origin, s3rver
 * serves unsigned requests. Only docuhook's own SDK clients may use them — their requests are
 * signed and never carry an Origin header — plus, for S3, the one thing browsers are meant to
 * do: a presigned POST upload and its preflight. (s3rver does not check a POST's policy, so a
 * page could still plant a file, though not read one; the pipeline checks every upload's size and
 * type itself, and document ids are not guessable.)
 */
import type { IncomingMessage, RequestListener, Server } from 'node:http';

type Rule = (req: IncomingMessage) => boolean;

/** Puts `allowed` in front of the server's own request handler; anything else is 403. */
export function guardServer(server: Server, allowed: Rule): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (allowed(req)) {
      for (const handler of handlers) handler.call(server, req, res);
      return;
    }
    req.resume();
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: docuhook local services answer docuhook itself only.\n');
  });
}

const fromSdk: Rule = (req) => req.headers.origin === undefined && typeof req.headers.authorization === 'string';

/** dynalite: signed SDK requests only (DynamoDB's protocol is a POST per operation). */
export const dynamoRule: Rule = (req) => req.method === 'POST' && fromSdk(req);

/** s3rver: signed SDK requests, and browser uploads by presigned POST (form) with their preflight. */
export const s3Rule: Rule = (req) => {
  if (req.method === 'POST' && (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) return true;
  if (req.method === 'OPTIONS') return (req.headers['access-control-request-method'] ?? '').toUpperCase() === 'POST';
  return fromSdk(req);
};
