export * from './client-hello.js';
export * from './server-hello.js';
export * from './hello-probe.js';
export * from './smtp-starttls.js';
export * from './smtp-probe.js';
export * from './tls-enumerate.js';
