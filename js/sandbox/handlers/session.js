// The two authentication operations: authentication (POST /auth → 201 with `auth`) and revokeAuthentication (DELETE /auth).
export const authenticate = ({ auth, body }) => ({ status: 201, fields: { auth: auth.authenticate(body) } });

export function revoke({ auth, session }) {
  auth.revoke(session.code);
  return { fields: { comment: "Authentication session revoked." } };
}
