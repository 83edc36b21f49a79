// agent/kubelet-server/index.ts — the kubelet's own streaming endpoints (/containerLogs, /exec, /attach,
// /portForward, as pkg/kubelet/server/server.go names them), which an API server forwards pods/log,
// pods/exec and pods/attach to.
//
// kubeletStreamRoutes(deps) gives the kubelet's HTTP server a request handler and an 'upgrade' listener that
// return false for paths they do not own, so the server chains them before its own routes (and a single-process
// host hands non-API paths to them). Holds the open sessions and followed logs so that close() ends them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { serveContainerLogs, type LogsPath } from './logs.js';
import { METHODS, parseKubeletPath } from './paths.js';
import { asKubeletError, KubeletError, refuseUpgrade, sendPlainError, sendStatusError } from './respond.js';
import { planStream, StreamUpgrades } from './streams.js';
import type { KubeletStreamDeps, KubeletStreamRoutes } from './types.js';
import { requestUrl } from '../server/server.js';

export type { KubeletStreamDeps, KubeletStreamRoutes } from './types.js';


export function kubeletStreamRoutes(deps: KubeletStreamDeps): KubeletStreamRoutes {
  const upgrades = new StreamUpgrades(deps);
  const logStreams = new Set<AbortController>();

  const serveLogs = async (req: IncomingMessage, res: ServerResponse, url: URL, path: LogsPath): Promise<void> => {
    const abort = new AbortController();
    logStreams.add(abort);
    try {
      const methods = METHODS.containerLogs;
      if (!methods.includes(req.method ?? '')) throw new KubeletError(405, 'Method Not Allowed', methods.join(', '));
      await serveContainerLogs(deps, res, path, url, abort);
    } catch (err) {
      // The runtime's own failures are a 400 too, as the kubelet answers every error of GetKubeletContainerLogs.
      if (!(err instanceof KubeletError)) deps.log.warn({ path: url.pathname, err: err instanceof Error ? err.message : String(err) }, 'Container log request failed');
      sendPlainError(res, err instanceof KubeletError ? err : new KubeletError(400, asKubeletError(err).message));
    } finally {
      logStreams.delete(abort);
    }
  };

  return {
    request(req, res) {
      const url = requestUrl(req);
      const path = parseKubeletPath(url.pathname);
      if (!path) return false;
      if (path.kind === 'containerLogs') {
        void serveLogs(req, res, url, path);
        return true;
      }
      // Exec and attach only work upgraded: the same checks, then the kubelet's refusal of a plain request.
      let refusal = new KubeletError(400, 'Upgrade request required');
      try {
        planStream(deps, req, path, url);
      } catch (err) {
        refusal = asKubeletError(err);
      }
      sendStatusError(res, refusal);
      return true;
    },

    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      const url = requestUrl(req);
      const path = parseKubeletPath(url.pathname);
      if (!path) return false;
      socket.on('error', () => socket.destroy());
      try {
        if (path.kind === 'containerLogs') throw new KubeletError(400, 'container logs are served over plain HTTP, without an upgrade');
        upgrades.upgrade(req, socket, head, path, url);
      } catch (err) {
        refuseUpgrade(socket, asKubeletError(err));
      }
      return true;
    },

    close() {
      upgrades.close();
      for (const abort of logStreams) abort.abort();
      logStreams.clear();
    },
  };
}
