"""Signs in to a user pool with USER_AUTH through plain boto3 calls.

Usage: boto3_user_auth.py '{"endpoint": ..., "region": ..., "client_id": ...,
                            "client_secret": null | "...", "username": ..., "password": ...}'

1. InitiateAuth USER_AUTH with PREFERRED_CHALLENGE=PASSWORD and the password;
   prints {"step": "password", "has_tokens": true|false}.
2. InitiateAuth USER_AUTH without a preference, then SELECT_CHALLENGE with
   ANSWER=EMAIL_OTP; prints {"step": "asked", "available": [...],
   "challenge": "EMAIL_OTP", "medium": "EMAIL"} and reads the code on stdin.
3. Answers EMAIL_OTP once with a wrong code (recording the error code), then
   with the code read; prints {"step": "email_otp", "has_tokens": ...,
   "wrong_code_error": "..."}.

Each step prints one JSON line. Tokens and codes are never printed.
"""

import base64
import hashlib
import hmac
import json
import sys

import boto3
from botocore.exceptions import ClientError


def emit(value):
    print(json.dumps(value), flush=True)


def main():
    args = json.loads(sys.argv[1])
    client = boto3.client(
        "cognito-idp",
        region_name=args["region"],
        endpoint_url=args["endpoint"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client_id = args["client_id"]
    username = args["username"]

    def with_hash(params, name=username):
        secret = args.get("client_secret")
        if secret:
            digest = hmac.new(
                secret.encode(), (name + client_id).encode(), hashlib.sha256
            ).digest()
            params["SECRET_HASH"] = base64.b64encode(digest).decode()
        return params

    signed_in = client.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters=with_hash(
            {
                "USERNAME": username,
                "PREFERRED_CHALLENGE": "PASSWORD",
                "PASSWORD": args["password"],
            }
        ),
    )
    emit({"step": "password", "has_tokens": "IdToken" in signed_in.get("AuthenticationResult", {})})

    choice = client.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_AUTH",
        AuthParameters=with_hash({"USERNAME": username}),
    )
    assert choice["ChallengeName"] == "SELECT_CHALLENGE", choice["ChallengeName"]
    sent = client.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="SELECT_CHALLENGE",
        Session=choice["Session"],
        ChallengeResponses=with_hash({"USERNAME": username, "ANSWER": "EMAIL_OTP"}),
    )
    emit(
        {
            "step": "asked",
            "available": choice.get("AvailableChallenges"),
            "challenge": sent["ChallengeName"],
            "medium": sent["ChallengeParameters"].get("CODE_DELIVERY_DELIVERY_MEDIUM"),
        }
    )
    code = sys.stdin.readline().strip()

    wrong_code_error = None
    try:
        client.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="EMAIL_OTP",
            Session=sent["Session"],
            ChallengeResponses=with_hash({"USERNAME": username, "EMAIL_OTP_CODE": "0"}),
        )
    except ClientError as error:
        wrong_code_error = error.response["Error"]["Code"]
    done = client.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="EMAIL_OTP",
        Session=sent["Session"],
        ChallengeResponses=with_hash({"USERNAME": username, "EMAIL_OTP_CODE": code}),
    )
    emit(
        {
            "step": "email_otp",
            "has_tokens": "IdToken" in done.get("AuthenticationResult", {}),
            "wrong_code_error": wrong_code_error,
        }
    )


if __name__ == "__main__":
    main()
