// A real OpenID provider (the certified `oidc-provider`) for Melek's tests: one client,
// a few accounts whose claims include the NIP. Its development sign-in pages stand in for
// the city's: any password is taken, the account is the login name.
//
//   node provider.mjs  (env: PORT, REDIRECT_URI, POST_LOGOUT_URI, CLOCK_AT = the epoch
//   seconds the test process believes it is, so the provider's clock agrees with Melek's
//   when a test run moves the clock)
//
// Prints "READY <port>" once it listens.
import Provider from "oidc-provider";

const port = Number(process.env.PORT || 0);
const offset = process.env.CLOCK_AT ? Number(process.env.CLOCK_AT) * 1000 - Date.now() : 0;
if (offset) {
  const realNow = Date.now;
  Date.now = () => realNow() + offset;
}

// accountId -> claims. "lambat": an account whose codes expire after one second.
const accounts = {
  rina: { nip: "198609262015051001", name: "Rina Sari" },
  lambat: { nip: "198609262015051001", name: "Rina Sari" },
  asing: { nip: "199912312020121999", name: "Orang Luar" },
  pensiun: { nip: "197001011990031001", name: "Pegawai Nonaktif" },
  tanpanip: { name: "Tanpa NIP" },
};

const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{
    client_id: "melek",
    client_secret: "melek-rahasia-uji",
    redirect_uris: [process.env.REDIRECT_URI],
    post_logout_redirect_uris: [process.env.POST_LOGOUT_URI],
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  claims: { openid: ["sub", "nip"], profile: ["name"] },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  pkce: { required: () => true },
  ttl: {
    AuthorizationCode: (ctx, code) => (code.accountId === "lambat" ? 1 : 60),
  },
  cookies: { keys: ["melek-test-cookie-key"] },
});
provider.proxy = false;

const server = provider.listen(port, "127.0.0.1", () => {
  const actual = server.address().port;
  if (port && actual !== port) throw new Error("port mismatch");
  console.log(`READY ${actual}`);
});
