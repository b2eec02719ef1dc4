"""botocore's own credential_process provider running `cognito-srp credentials`.

Args (one JSON argument): endpoint (moto), bin (the cognito-srp binary),
profile (a cognito-srp profile already signed in), home (COGNITO_SRP_HOME),
dir (a scratch directory), identity_pool_id (optional: when absent the
script creates an identity pool in moto with boto3 and dummy credentials).

Writes an AWS config file whose profile `cognito` has
`credential_process = <bin> credentials --profile P --identity-pool-id ID --endpoint E`,
then calls STS GetCallerIdentity through a session of that profile. Prints
one JSON line: the identity pool id, the caller identity, the access key id
the session resolved, and whether it carried a session token.
"""

import json
import os
import shlex
import sys

import boto3


def main():
    args = json.loads(sys.argv[1])
    endpoint = args["endpoint"]
    pool_id = args.get("identity_pool_id")
    if not pool_id:
        admin = boto3.client(
            "cognito-identity",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        created = admin.create_identity_pool(
            IdentityPoolName="credential_process",
            AllowUnauthenticatedIdentities=False,
        )
        pool_id = created["IdentityPoolId"]
    command = " ".join(
        shlex.quote(part)
        for part in [
            args["bin"],
            "credentials",
            "--profile",
            args["profile"],
            "--identity-pool-id",
            pool_id,
            "--endpoint",
            endpoint,
        ]
    )
    config = os.path.join(args["dir"], "aws-config")
    with open(config, "w") as f:
        f.write("[profile cognito]\nregion = us-east-1\ncredential_process = %s\n" % command)
    # Only the config file: no keys in the environment, no shared credentials file.
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]:
        os.environ.pop(name, None)
    os.environ["AWS_CONFIG_FILE"] = config
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(args["dir"], "no-credentials")
    os.environ["COGNITO_SRP_HOME"] = args["home"]
    session = boto3.Session(profile_name="cognito")
    frozen = session.get_credentials().get_frozen_credentials()
    method = session.get_credentials().method
    sts = session.client("sts", endpoint_url=endpoint, region_name="us-east-1")
    identity = sts.get_caller_identity()
    print(
        json.dumps(
            {
                "identity_pool_id": pool_id,
                "method": method,
                "access_key_id": frozen.access_key,
                "has_session_token": bool(frozen.token),
                "account": identity.get("Account"),
                "arn": identity.get("Arn"),
            }
        )
    )


if __name__ == "__main__":
    main()
