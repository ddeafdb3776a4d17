"""Starts the test suite's OpenID Connect provider (provider.mjs beside this file, the `oidc-provider` npm
package run by node) on a free port of 127.0.0.1, waits for its discovery document, and stops it.

Its packages are installed from the committed package-lock.json by `make oidc-deps` (`npm ci`), into
tests/oidc/node_modules, which git ignores."""

import json
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "mutualis-test"
CLIENT_SECRET = "secret-du-client-de-test-0123456789"  # the test provider's only; never a real one

# The agents the provider knows (its login form asks for the e-mail only).
AGENTS = [
    {
        "sub": "agent-nouveau-1",
        "email": "Camille.Nouvel@ch-exemple.fr",
        "given_name": "Camille",
        "usual_name": "Nouvel",
        "family_name": "Nouvel",
        "siret": "26210001000011",
        "organizational_unit": "Direction des achats",
    },
    {
        "sub": "agent-connu-2",
        "email": "dominique.connu@ch-exemple.fr",
        "given_name": "Dominique",
        "usual_name": "Connu",
        "family_name": "Connu",
        "siret": "00000000000000",
    },
]


@dataclass(frozen=True)
class RunningProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


@contextmanager
def oidc_provider(redirect_uris, post_logout_redirect_uris, *, signed_userinfo=False, agents=AGENTS):
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "Fournisseur OpenID Connect de test absent : `make oidc-deps` installe node_modules "
            "(npm ci dans tests/oidc)."
        )
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": list(redirect_uris),
        "post_logout_redirect_uris": list(post_logout_redirect_uris),
        "client_name": "Mutualis (tests)",
    }
    if signed_userinfo:
        client["userinfo_signed_response_alg"] = "RS256"
    options = {"port": 0, "clients": [client], "accounts": agents}
    process = subprocess.Popen(  # noqa: S603 (node, the committed script, a JSON argument built here)
        [node, str(HERE / "provider.mjs"), json.dumps(options)],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()  # "listening http://127.0.0.1:PORT"
        if not line.startswith("listening "):
            pytest.fail(f"Le fournisseur OpenID Connect de test n'a pas démarré ({line!r}).")
        issuer = line.removeprefix("listening ")
        deadline = time.monotonic() + 15
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail("Le fournisseur OpenID Connect de test ne répond pas.")
            time.sleep(0.1)
        yield RunningProvider(issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
