// Security headers on every response (@fastify/helmet): nosniff, no framing, no referrer, and a
// Content-Security-Policy without inline script that the client demo lives within.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        // The client's socket is same-origin (ws: and wss: are covered by 'self').
        connectSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        // blob: the client demo shows an attachment's thumbnail from bytes it fetched with its token.
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // Served over plain HTTP on 127.0.0.1 by default: HSTS belongs to the TLS proxy in front.
    strictTransportSecurity: false,
  });
}

/** The docs page needs the hashes of swagger-ui's own inline code; no framing there either, and no upgrade to HTTPS. */
export const docsCsp = {
  staticCSP: true,
  transformStaticCSP: (header: string) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'").replace(/\s*upgrade-insecure-requests;?/, ''),
};

/**
 * CORS for the origins in CORS_ORIGINS: every method the API has (the plugin's default is GET, HEAD
 * and POST only), the request headers a preflight names, and the answer headers a page must read
 * (when to retry, a download's name, how to authenticate).
 */
export const corsOptions = (origins: string[]) => ({
  origin: origins,
  credentials: true,
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  exposedHeaders: ['Retry-After', 'Content-Disposition', 'WWW-Authenticate'],
  maxAge: 600,
});
