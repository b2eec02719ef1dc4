"""Drives a user pool with plain boto3 (botocore's own model of cognito-idp),
as an independent client of the local pool's token and settings operations.

Usage: boto3_client.py '{"endpoint": ..., "user_pool_id": ..., "client_id": ...,
                         "client_secret": null | "...", "username": ..., "password": ...,
                         "scenario": "lifecycle" | "sign_in"}'

Prints one JSON line of observations: error codes and messages, claims and
flags. Tokens themselves are never printed. Exits 0 unless the script fails.

* sign_in: USER_PASSWORD_AUTH, then GetUser.
* lifecycle (a pool with refresh-token rotation): USER_PASSWORD_AUTH, GetUser,
  GetTokensFromRefreshToken, the old refresh token again, RevokeToken on the
  new one and a refresh with it, a new sign-in, GlobalSignOut and GetUser
  with the signed-out access token.
"""

import base64
import hashlib
import hmac
import json
import sys

import boto3
from botocore.exceptions import ClientError


def claims(jwt):
    payload = jwt.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))


def refused(error):
    body = error.response.get("Error", {})
    return {"outcome": "error", "code": body.get("Code"), "message": body.get("Message")}


class Pool:
    def __init__(self, args):
        self.args = args
        self.client = boto3.client(
            "cognito-idp",
            region_name=args["user_pool_id"].split("_")[0],
            endpoint_url=args["endpoint"],
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        self.client_id = args["client_id"]
        self.secret = args.get("client_secret")

    def secret_hash(self, name):
        digest = hmac.new(
            self.secret.encode(), (name + self.client_id).encode(), hashlib.sha256
        ).digest()
        return base64.b64encode(digest).decode()

    def sign_in(self):
        name = self.args["username"]
        params = {"USERNAME": name, "PASSWORD": self.args["password"]}
        if self.secret:
            params["SECRET_HASH"] = self.secret_hash(name)
        return self.client.initiate_auth(
            AuthFlow="USER_PASSWORD_AUTH", ClientId=self.client_id, AuthParameters=params
        )["AuthenticationResult"]

    def refresh(self, token):
        extra = {"ClientSecret": self.secret} if self.secret else {}
        return self.client.get_tokens_from_refresh_token(
            RefreshToken=token, ClientId=self.client_id, **extra
        )["AuthenticationResult"]

    def step(self, call):
        try:
            return {"outcome": "ok", **(call() or {})}
        except ClientError as error:
            return refused(error)


def sign_in(pool):
    try:
        result = pool.sign_in()
    except ClientError as error:
        return {"sign_in": refused(error)}
    user = pool.client.get_user(AccessToken=result["AccessToken"])
    return {
        "sign_in": {
            "outcome": "tokens",
            "id_claims": claims(result["IdToken"]),
            "access_claims": claims(result["AccessToken"]),
            "has_refresh_token": bool(result.get("RefreshToken")),
        },
        "get_user_username": user["Username"],
    }


def lifecycle(pool):
    seen = {}
    first = pool.sign_in()
    user = pool.client.get_user(AccessToken=first["AccessToken"])
    seen["get_user"] = {
        "username": user["Username"],
        "attributes": {a["Name"]: a["Value"] for a in user["UserAttributes"]},
    }
    rotated = pool.refresh(first["RefreshToken"])
    new_refresh = rotated.get("RefreshToken")
    seen["rotate"] = {
        "has_refresh_token": bool(new_refresh),
        "new_differs": bool(new_refresh) and new_refresh != first["RefreshToken"],
        "access_claims": claims(rotated["AccessToken"]),
    }
    seen["reuse_old"] = pool.step(lambda: pool.refresh(first["RefreshToken"]) and None)
    extra = {"ClientSecret": pool.secret} if pool.secret else {}
    seen["revoke"] = pool.step(
        lambda: pool.client.revoke_token(Token=new_refresh, ClientId=pool.client_id, **extra)
        and None
    )
    seen["refresh_after_revoke"] = pool.step(lambda: pool.refresh(new_refresh) and None)
    second = pool.sign_in()
    seen["global_sign_out"] = pool.step(
        lambda: pool.client.global_sign_out(AccessToken=second["AccessToken"]) and None
    )
    seen["get_user_after_sign_out"] = pool.step(
        lambda: pool.client.get_user(AccessToken=second["AccessToken"]) and None
    )
    seen["refresh_after_sign_out"] = pool.step(
        lambda: pool.refresh(second["RefreshToken"]) and None
    )
    return seen


def main():
    args = json.loads(sys.argv[1])
    pool = Pool(args)
    scenario = {"sign_in": sign_in, "lifecycle": lifecycle}[args["scenario"]]
    print(json.dumps(scenario(pool)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
