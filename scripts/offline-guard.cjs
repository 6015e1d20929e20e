// Preloaded with `node -r` into tools that try to reach the internet on their own: every
// non-loopback connection and name lookup is refused in-process, before a packet leaves.
const net = require('node:net')
const dns = require('node:dns')
const ok = (h) => !h || /^(127\.|::1$|localhost$)/.test(String(h).replace(/^\[|\]$/g, ''))
const c = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...a) {
  const o = a[0]
  const h = typeof o === 'object' && o ? (o.path ? undefined : o.host) : a[1]
  if (!ok(h)) {
    process.nextTick(() =>
      this.destroy(Object.assign(new Error('offline: refused ' + h), { code: 'ECONNREFUSED' })),
    )
    return this
  }
  return c.apply(this, a)
}
const l = dns.lookup
dns.lookup = function (h, ...r) {
  if (!ok(h)) {
    const cb = r[r.length - 1]
    process.nextTick(() =>
      cb(Object.assign(new Error('offline: refused ' + h), { code: 'ENOTFOUND' })),
    )
    return
  }
  return l.call(dns, h, ...r)
}
