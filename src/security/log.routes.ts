import express, { type Request, type Router } from 'express';
import { optionalEnum, optionalString, parsePaging, parseSerialId, requireString } from '../admin/http.ts';
import { actorOf } from '../admin/authenticate.ts';
import { InvalidInput } from '../shared/errors.ts';
import { parseTimestamp } from '../shared/ranges.ts';
import { adminErrorHandler } from '../admin/http.ts';
import type { Logger } from '../shared/logger.ts';
import type { LogRequestService } from './log-request.service.ts';
import { LOG_TYPES } from './log-request.types.ts';
import { extractUploadedFile } from './log-upload.ts';

function optionalInt(b: Record<string, unknown>, field: string): number | undefined {
  const v = b[field];
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 86_400) throw new InvalidInput(`${field}: an integer from 0 to 86400`);
  return v as number;
}

const optionalTime = (b: Record<string, unknown>, field: string): Date | undefined => (b[field] === undefined ? undefined : parseTimestamp(requireString(b, field, 40), field));

/** Admin API (issue 13): GetLog requests, their upload status and the uploaded files. */
export function logAdminRoutes(deps: { logs: LogRequestService; publicUrl: string }): Router {
  const r = express.Router();
  const baseUrl = (req: Request) => deps.publicUrl || `${req.protocol}://${req.get('host')}`;
  r.get('/log-requests', async (req, res) => {
    res.json({ data: await deps.logs.list({ ...parsePaging(req), chargePointId: optionalString(req.query, 'chargePointId', 48) }) });
  });
  r.post('/log-requests', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const logType = optionalEnum(b, 'logType', LOG_TYPES);
    if (!logType) throw new InvalidInput(`logType: one of ${LOG_TYPES.join(', ')}`);
    const ask = { chargePointId: requireString(b, 'chargePointId', 48), logType, oldestTimestamp: optionalTime(b, 'oldestTimestamp'), latestTimestamp: optionalTime(b, 'latestTimestamp'), retries: optionalInt(b, 'retries'), retryInterval: optionalInt(b, 'retryInterval') };
    res.status(201).json(await deps.logs.request(ask, baseUrl(req), actorOf(req)));
  });
  r.get('/log-requests/:id', async (req, res) => {
    res.json(await deps.logs.get(parseSerialId(req.params.id)));
  });
  r.get('/log-requests/:id/file', async (req, res) => {
    const { request, content } = await deps.logs.file(parseSerialId(req.params.id));
    const name = (request.fileName ?? `${request.chargePointId}-${request.logType}-${request.id}.log`).replace(/[^\w.-]/g, '_');
    res.set('Content-Type', 'application/octet-stream').set('Content-Disposition', `attachment; filename="${name}"`).send(content);
  });
  return r;
}

/**
 * The charger-facing upload endpoint (no API key: the one-time token in the path authenticates): PUT or
 * POST `/uploads/logs/{requestId}/{token}[/{fileName}]`, raw body or multipart/form-data, at most maxBytes (413).
 */
export function logUploadRoutes(deps: { logs: LogRequestService; maxBytes: number; logger: Logger }): Router {
  const r = express.Router();
  r.use(express.raw({ type: () => true, limit: deps.maxBytes }));
  const upload = async (req: Request<{ id: string; token: string }>, res: express.Response) => {
    const file = extractUploadedFile(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), req.get('content-type'));
    const stored = await deps.logs.receiveUpload(parseSerialId(req.params.id), req.params.token, file);
    res.status(201).json({ id: stored.id, sizeBytes: stored.sizeBytes });
  };
  for (const path of ['/:id/:token', '/:id/:token/:fileName']) {
    r.put(path, upload);
    r.post(path, upload);
  }
  r.use(adminErrorHandler(deps.logger));
  return r;
}
