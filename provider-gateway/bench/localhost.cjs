// Preloaded into Portkey's node process (node -r): its start-server.js listens on every interface and has no
// host flag, so bind every listening server to 127.0.0.1.
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args.length > 0 && typeof args[0] === 'object' && args[0] !== null) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  } else if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const port = args[0];
    const rest = args.slice(1).filter((a) => typeof a === 'function');
    return listen.call(this, port, '127.0.0.1', ...rest);
  }
  return listen.apply(this, args);
};
