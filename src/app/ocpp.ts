import type { Server } from 'node:http';
import type { WebSocket } from 'ws';
import type { AppDeps } from './app.types.ts';
import type { Services } from './services.ts';
import { runDetached } from '../shared/background.ts';
import { attachOcppServer, type Handshake } from '../ocpp/server.ts';
import { RpcConnection } from '../ocpp/rpc.ts';
import { ConnectionRegistry } from '../ocpp/connections.ts';
import { createOcppValidator, type OcppValidator } from '../ocpp/validate.ts';
import { buildRouter, type Dispatch } from '../ocpp/router.ts';
import { OcppError } from '../ocpp/errors.ts';
import { localCommandSender, type CommandSender } from '../ocpp/commands.ts';
import { RedisCommandBus } from '../cluster/redis-command-bus.ts';
import { chargerHandlers } from '../chargers/ocpp16.handlers.ts';
import { tokenHandlers } from '../tokens/ocpp16.handlers.ts';
import { sessionHandlers } from '../sessions/ocpp16.handlers.ts';

/** Messages a charger may send before the CPMS has accepted it (OCPP 1.6 §4.2.1: Pending/Rejected). */
const ALLOWED_BEFORE_ACCEPTED = new Set(['BootNotification', 'Heartbeat', 'StatusNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'DataTransfer']);

/** How commands reach chargers: directly over this node's sockets, or through the cluster bus. */
export function createCommandSender({ config, db, logger }: AppDeps, nodeId: string, connections: ConnectionRegistry) {
  const local = localCommandSender(connections);
  // Cluster mode: commands reach the node that holds the charger's socket over Redis pub/sub.
  const bus = config.redisUrl
    ? new RedisCommandBus({ redisUrl: config.redisUrl, nodeId, db, connections, local, defaultTimeoutMs: config.ocpp.callTimeoutSec * 1000, logger: logger.child({ module: 'cluster' }) })
    : undefined;
  const commands: CommandSender = bus ?? local;
  return { bus, commands };
}

interface ConnectionContext {
  deps: AppDeps;
  chargers: Services['chargers'];
  connections: ConnectionRegistry;
  dispatch: Dispatch;
  validator: OcppValidator;
}

/** One accepted charger socket: wrap it in an RPC connection, register it, record connect and disconnect. */
function handleConnection(ctx: ConnectionContext, ws: WebSocket, handshake: Handshake): void {
  const { deps: { config, logger }, chargers, connections, dispatch, validator } = ctx;
  const chargePointId = handshake.identity;
  const log = logger.child({ module: 'ocpp', chargePointId });
  const conn = new RpcConnection(ws, {
    identity: chargePointId,
    protocol: handshake.protocol,
    validator,
    callTimeoutMs: config.ocpp.callTimeoutSec * 1000,
    logger: log,
    dispatch: async (action, params) => {
      if (action !== 'BootNotification' && action !== 'Heartbeat') {
        const status = await chargers.markSeen(chargePointId);
        if (status !== 'Accepted' && !ALLOWED_BEFORE_ACCEPTED.has(action)) {
          throw new OcppError('SecurityError', `charger is ${status}, not Accepted: ${action} refused`);
        }
      }
      return dispatch(chargePointId, action, params);
    },
  });
  connections.add(conn);
  log.info('charger connected', { protocol: handshake.protocol, remoteAddress: handshake.remoteAddress });
  runDetached(log, 'record connection', () => chargers.onConnected(chargePointId, handshake.protocol));
  conn.on('close', ({ code }: { code: number }) => {
    if (!connections.remove(conn)) return;
    log.info('charger disconnected', { code });
    runDetached(log, 'record disconnection', () => chargers.onDisconnected(chargePointId, code));
  });
}

/** The OCPP WebSocket endpoint on the shared server: handshake auth, then one RPC connection per charger. */
export function attachOcppEndpoint(server: Server, deps: AppDeps, s: Services, connections: ConnectionRegistry) {
  const dispatch = buildRouter([chargerHandlers(s.chargers, s.connectorLimits), tokenHandlers(s.authorize), sessionHandlers(s.sessions)]);
  const validator = createOcppValidator('ocpp1.6');
  const ctx: ConnectionContext = { deps, chargers: s.chargers, connections, dispatch, validator };
  return attachOcppServer(server, {
    path: deps.config.ocpp.path,
    logger: deps.logger.child({ module: 'ocpp' }),
    authenticate: (h) => s.chargers.authenticate(h),
    onConnection: (ws, handshake) => handleConnection(ctx, ws, handshake),
  });
}
