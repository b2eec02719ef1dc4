module cognito-srp-auth/benches/compare/go_login

go 1.19
