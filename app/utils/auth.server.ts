import { createHash } from 'node:crypto';
import { and, eq, lte } from 'drizzle-orm';
import { Cookie, Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from 'lucia';
import { sessions, users } from '#db/schema';
import { READ_ONLY, withIdentity } from '#db/scope';
import { getEnv } from './env.server';

/**
 * The only module that knows about lucia (deprecated upstream; see docs/decisions/0004). The
 * adapter stores a SHA-256 of the session id, so a leaked sessions table cannot be replayed.
 */
function hashSessionId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

type UserRow = typeof users.$inferSelect;

function toDatabaseUser(user: UserRow): DatabaseUser {
  return {
    id: user.id,
    attributes: {
      email: user.email,
      displayName: user.displayName,
      emailVerified: user.emailVerifiedAt !== null,
      isStateStaff: user.isStateStaff,
    },
  };
}

const hashedSessionAdapter: Adapter = {
  async getSessionAndUser(sessionId) {
    const rows = await withIdentity((tx) =>
      tx
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, hashSessionId(sessionId)))
        .limit(1),
      READ_ONLY,
    );
    const row = rows[0];
    if (!row) return [null, null];
    const session: DatabaseSession = { id: sessionId, userId: row.session.userId, expiresAt: row.session.expiresAt, attributes: {} };
    return [session, toDatabaseUser(row.user)];
  },
  async getUserSessions(userId) {
    const rows = await withIdentity((tx) => tx.select().from(sessions).where(eq(sessions.userId, userId)));
    return rows.map((s) => ({ id: s.id, userId: s.userId, expiresAt: s.expiresAt, attributes: {} }));
  },
  // A new session is a sign-in: the state console shows who signed in lately and who never did.
  async setSession(session) {
    await withIdentity(async (tx) => {
      await tx.insert(sessions).values({ id: hashSessionId(session.id), userId: session.userId, expiresAt: session.expiresAt });
      await tx.update(users).set({ lastSignedInAt: new Date() }).where(eq(users.id, session.userId));
    });
  },
  async updateSessionExpiration(sessionId, expiresAt) {
    await withIdentity((tx) => tx.update(sessions).set({ expiresAt }).where(eq(sessions.id, hashSessionId(sessionId))));
  },
  async deleteSession(sessionId) {
    await withIdentity((tx) => tx.delete(sessions).where(eq(sessions.id, hashSessionId(sessionId))));
  },
  async deleteUserSessions(userId) {
    await withIdentity((tx) => tx.delete(sessions).where(eq(sessions.userId, userId)));
  },
  async deleteExpiredSessions() {
    await withIdentity((tx) => tx.delete(sessions).where(and(lte(sessions.expiresAt, new Date()))));
  },
};

const SESSION_COOKIE = 'cc_session';

const lucia = new Lucia(hashedSessionAdapter, {
  sessionExpiresIn: new TimeSpan(30, 'd'),
  sessionCookie: { name: SESSION_COOKIE, attributes: { sameSite: 'lax' } },
  getUserAttributes: (attributes) => attributes,
});

declare module 'lucia' {
  interface Register {
    Lucia: typeof lucia;
    DatabaseUserAttributes: { email: string; displayName: string | null; emailVerified: boolean; isStateStaff: boolean };
    UserId: string;
  }
}

export type SessionUser = { id: string; email: string; displayName: string | null; emailVerified: boolean; isStateStaff: boolean };

/**
 * One account everywhere: on hosts under ROOT_DOMAIN the cookie is set for the parent domain,
 * so every town's subdomain receives it. Browsers refuse `Domain=localhost`, so there it stays
 * host-only and sign-in is per town.
 */
function withSiteAttributes(cookie: Cookie, request: Request): string {
  const { ROOT_DOMAIN, COOKIE_SECURE } = getEnv();
  const hostname = new URL(request.url).hostname.toLowerCase();
  const shareAcrossTowns = ROOT_DOMAIN !== 'localhost' && (hostname === ROOT_DOMAIN || hostname.endsWith(`.${ROOT_DOMAIN}`));
  return new Cookie(cookie.name, cookie.value, {
    ...cookie.attributes,
    secure: COOKIE_SECURE,
    domain: shareAcrossTowns ? ROOT_DOMAIN : undefined,
  }).serialize();
}

export async function getSessionUser(request: Request): Promise<{ user: SessionUser; setCookie: string | null } | null> {
  const sessionId = lucia.readSessionCookie(request.headers.get('Cookie') ?? '');
  if (!sessionId) return null;
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session) return null;
  // Lucia extends a session past half its life; the browser must get the new expiry too.
  const setCookie = session.fresh ? withSiteAttributes(lucia.createSessionCookie(session.id), request) : null;
  return { user, setCookie };
}

/** Starts a session and returns the Set-Cookie header value. */
export async function startSession(userId: string, request: Request): Promise<string> {
  const session = await lucia.createSession(userId, {});
  return withSiteAttributes(lucia.createSessionCookie(session.id), request);
}

/** Ends the request's session (if any) and returns a Set-Cookie header that clears it. */
export async function endSession(request: Request): Promise<string> {
  const sessionId = lucia.readSessionCookie(request.headers.get('Cookie') ?? '');
  if (sessionId) await lucia.invalidateSession(sessionId);
  return withSiteAttributes(lucia.createBlankSessionCookie(), request);
}

/** After a password reset every other device must sign in again. */
export async function endAllSessions(userId: string): Promise<void> {
  await lucia.invalidateUserSessions(userId);
}

export async function deleteExpiredSessions(): Promise<void> {
  await lucia.deleteExpiredSessions();
}
