// A real OpenID Connect provider for Mutualis's tests: the maintained `oidc-provider` package (the one
// certified by the OpenID Foundation), on 127.0.0.1 only, with a minimal login form of its own and pages
// that load nothing from elsewhere. Started by tests/oidc/provider.py, which passes its configuration as
// one JSON argument:
//   {"port": 0, "clients": [{client_id, client_secret, redirect_uris, post_logout_redirect_uris,
//    userinfo_signed_response_alg?}], "accounts": [{sub, email, given_name, usual_name, siret, ...}]}
// It prints one line "listening <issuer>" once it answers, and stops on SIGTERM.
import http from "node:http";
import crypto from "node:crypto";
import Provider from "oidc-provider";

const options = JSON.parse(process.argv[2] || "{}");
const accounts = new Map((options.accounts || []).map((account) => [account.sub, account]));

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: crypto.randomUUID(), alg: "RS256", use: "sig" };

const server = http.createServer();
await new Promise((resolve) => server.listen(options.port || 0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: options.clients || [],
  jwks: { keys: [jwk] },
  cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
  // ProConnect's scopes (given_name, usual_name, siret…) beside the standard ones.
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["given_name", "family_name", "name"],
    given_name: ["given_name"],
    usual_name: ["usual_name"],
    siret: ["siret"],
    organizational_unit: ["organizational_unit"],
  },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ email_verified: true, ...account, sub }) };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  features: {
    devInteractions: { enabled: false },
    jwtUserinfo: { enabled: true }, // ProConnect answers userinfo as a signed JWT
    rpInitiatedLogout: {
      enabled: true,
      async logoutSource(ctx, form) {
        ctx.body = page(
          "Déconnexion du fournisseur d'identité",
          `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Se déconnecter du fournisseur</button>`,
        );
      },
      async postLogoutSuccessSource(ctx) {
        ctx.body = page("Déconnecté du fournisseur", "<p>Vous êtes déconnecté.</p>");
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = "html";
    ctx.body = page("Erreur du fournisseur", `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
  pkce: { required: () => true }, // as ProConnect: a client without PKCE is refused
});
provider.proxy = false;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

function loginForm(uid, error = "") {
  return page(
    "Fournisseur d'identité de test",
    `${error ? `<p role="alert">${escape(error)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
  <label for="email">Adresse électronique</label>
  <input id="email" name="email" type="email" autocomplete="email" required>
  <button type="submit">Valider</button>
</form>`,
  );
}

// The interaction: a login form (the account is chosen by its e-mail), then consent granted at once to
// the configured client, as a first-party provider does.
async function interaction(req, res) {
  const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== match[1]) throw new Error("interaction mismatch");
  const { prompt, params } = details;
  if (prompt.name === "login") {
    if (req.method === "POST" && match[2]) {
      const form = await readForm(req);
      const email = (form.get("email") || "").trim().toLowerCase();
      const account = [...accounts.values()].find((a) => a.email.toLowerCase() === email);
      if (!account) {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        res.end(loginForm(details.uid, "Adresse inconnue"));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: account.sub } });
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(loginForm(details.uid));
    return;
  }
  if (prompt.name === "consent") {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } });
    return;
  }
  throw new Error(`unknown prompt ${prompt.name}`);
}

const callback = provider.callback();
server.on("request", (req, res) => {
  if (req.url.startsWith("/interaction/")) {
    interaction(req, res).catch((error) => {
      res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
      res.end(page("Erreur du fournisseur", `<pre>${escape(error.message)}</pre>`));
    });
    return;
  }
  callback(req, res);
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
console.log(`listening ${issuer}`);
