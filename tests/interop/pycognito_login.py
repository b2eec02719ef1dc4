"""Signs in to a user pool with pycognito's AWSSRP through boto3.

Usage: pycognito_login.py '{"endpoint": ..., "user_pool_id": ..., "client_id": ...,
                            "client_secret": null | "...", "username": ..., "password": ...}'

Prints one JSON line: {"outcome": "tokens", "id_claims": {...}, "access_claims": {...},
"has_refresh_token": true} or {"outcome": "error", "code": "NotAuthorizedException",
"message": "..."}. Exits 0 in both cases; non-zero only when the script itself fails.
Tokens themselves are never printed.
"""

import base64
import json
import sys

import boto3
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP


def claims(jwt):
    payload = jwt.split(".")[1]
    payload += "=" * (-len(payload) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))


def main():
    args = json.loads(sys.argv[1])
    region = args["user_pool_id"].split("_")[0]
    client = boto3.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=args["endpoint"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    srp = AWSSRP(
        username=args["username"],
        password=args["password"],
        pool_id=args["user_pool_id"],
        client_id=args["client_id"],
        client_secret=args.get("client_secret"),
        client=client,
    )
    try:
        response = srp.authenticate_user()
    except ClientError as error:
        body = error.response.get("Error", {})
        print(json.dumps({"outcome": "error", "code": body.get("Code"), "message": body.get("Message")}))
        return 0
    result = response["AuthenticationResult"]
    print(
        json.dumps(
            {
                "outcome": "tokens",
                "id_claims": claims(result["IdToken"]),
                "access_claims": claims(result["AccessToken"]),
                "has_refresh_token": bool(result.get("RefreshToken")),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
