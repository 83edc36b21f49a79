// control-plane/controllers/framework/events.ts — posts core/v1 Events about an object for a controller
// (source.component = the controller's name), as client-go's EventRecorder writes them. Best effort: a
// failed post is logged, never thrown (an event must not fail a reconcile).
import { EVENTS, type KubeClient, type KubeObject } from '../../../client/index.js';
import { rfc3339, type ControllerClock } from './clock.js';
import type { ControllerLog } from './controller.js';

export type EventType = 'Normal' | 'Warning';

export class EventRecorder {
  #seq = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly clock: ControllerClock,
    private readonly log?: ControllerLog,
  ) {}

  async event(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const md = obj.metadata ?? {};
    const at = rfc3339(this.clock.now());
    const suffix = `${this.clock.now().toString(16)}${(this.#seq++ & 0xfff).toString(16).padStart(3, '0')}`;
    try {
      await this.client.create(EVENTS, md.namespace, {
        apiVersion: 'v1', kind: 'Event',
        metadata: { name: `${md.name}.${suffix}`, namespace: md.namespace },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: md.name, namespace: md.namespace, uid: md.uid, resourceVersion: md.resourceVersion },
        reason, message, type, count: 1, firstTimestamp: at, lastTimestamp: at,
        source: { component: this.component }, reportingComponent: this.component, reportingInstance: this.component,
      });
    } catch (e) {
      this.log?.warn({ component: this.component, reason, err: e instanceof Error ? e.message : String(e) }, 'Posting an event failed');
    }
  }
}
