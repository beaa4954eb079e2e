// A stand-in for the widget model that anywidget hands to render():
// get/set/on/off/save_changes/send, with "change:<name>" events fired
// synchronously on set, as Backbone does. It lets the explorers' ES modules
// run in a plain page, with no widget manager and no kernel.
export class FakeModel {
  constructor(state) {
    this.state = structuredClone(state);
    this.handlers = new Map();
    this.saves = 0;
    this.pending = {};
    this.sent = [];
  }
  get(name) {
    return this.state[name];
  }
  set(name, value) {
    const old = this.state[name];
    this.state[name] = value;
    this.pending[name] = value;
    if (JSON.stringify(old) !== JSON.stringify(value)) {
      for (const cb of this.handlers.get(`change:${name}`) ?? []) cb();
    }
  }
  on(event, cb) {
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(cb);
  }
  off(event, cb) {
    const list = this.handlers.get(event) ?? [];
    this.handlers.set(event, list.filter((f) => f !== cb));
  }
  save_changes() {
    this.saves += 1;
    this.sent.push(this.pending);
    this.pending = {};
  }
  send(msg) {
    this.sent.push({ custom: msg });
  }
}
