// Command go_login times one full Cognito SRP client login (USER_SRP_AUTH) in Go,
// standard library only, on one vector of vectors/user_srp.json.
//
// Usage: go_login VECTORS_JSON [--vector NAME] [--samples N] [--min-sample-ms MS]
//
// One timed login is what a Go client written on math/big does per sign-in,
// without the network:
//   - A = g^a mod N (big.Int.Exp) for the vector's fixed a, SRP_A = A in hex;
//   - the challenge: SRP_B and SALT parsed from hex (SALT as a signed hex
//     integer), B mod N = 0 and u = 0 rejected, u = H(pad(A) || pad(B)),
//     x = H(pad(salt) || H(pool_name || user_id || ":" || password)),
//     S = (B - k * g^x)^(a + u*x) mod N, the HKDF written out (extract with
//     salt pad(u) over pad(S), one expand block with info "Caldera Derived
//     Key", 16 bytes), base64-decoding SECRET_BLOCK, the HMAC-SHA256 claim and
//     its base64, with the clock fixed to the vector's TIMESTAMP.
//
// pad(v) is Java's BigInteger.toByteArray(): the minimal big-endian two's
// complement (00 prepended when the top bit of a positive value is set,
// 0 -> 00). N, g and k come from the vector file; k = H(pad(N) || pad(g)) is
// computed once, outside the timing, and checked against the file.
//
// Before timing, SRP_A and PASSWORD_CLAIM_SIGNATURE are checked against the
// vector (exit 1 on mismatch). Each sample is a batch of logins taking at least
// --min-sample-ms of process CPU time (getrusage: the Go runtime's GC threads
// count); the medians over --samples samples of per-login process CPU time and
// wall time are printed last:
//
//	go_version=...
//	go_login_cpu_median_us=<float>
//	go_login_wall_median_us=<float>
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type vectorFile struct {
	Constants struct {
		N string `json:"N"`
		G string `json:"g"`
		K string `json:"k"`
	} `json:"constants"`
	Vectors []vector `json:"vectors"`
}

type vector struct {
	Name         string `json:"name"`
	UserPoolID   string `json:"user_pool_id"`
	UserIDForSRP string `json:"user_id_for_srp"`
	Password     string `json:"password"`
	A            string `json:"a"`
	Salt         string `json:"salt"`
	SrpB         string `json:"srp_b"`
	SecretBlock  string `json:"secret_block"`
	Timestamp    string `json:"timestamp"`
	Expected     struct {
		SrpA      string `json:"srp_a"`
		Signature string `json:"password_claim_signature"`
	} `json:"expected"`
}

// group holds the one-off set-up: N, g and k.
type group struct {
	n, g, k *big.Int
}

// pad is Java's BigInteger.toByteArray(): minimal big-endian two's complement.
func pad(v *big.Int) []byte {
	if v.Sign() >= 0 {
		b := v.Bytes()
		if len(b) == 0 || b[0]&0x80 != 0 {
			return append([]byte{0}, b...)
		}
		return b
	}
	// Negative: the shortest n with -2^(8n-1) <= v, then 2^(8n) + v.
	magnitudeLess1 := new(big.Int).Neg(v)
	magnitudeLess1.Sub(magnitudeLess1, big.NewInt(1)) // -v - 1 >= 0
	n := magnitudeLess1.BitLen()/8 + 1
	m := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
	b := m.Add(m, v).Bytes()
	return append(bytes.Repeat([]byte{0xff}, n-len(b)), b...)
}

func hashOf(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func hmacOf(key []byte, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

func parseHex(s string) (*big.Int, error) {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		return nil, fmt.Errorf("not a hex integer: %.16q", s)
	}
	return v, nil
}

// login is one whole client login: SRP_A, then the PASSWORD_VERIFIER claim.
func login(grp *group, a *big.Int, v *vector, now func() string) (string, string, error) {
	// A = g^a mod N and its hex encoding (what InitiateAuth sends).
	bigA := new(big.Int).Exp(grp.g, a, grp.n)
	srpA := bigA.Text(16)

	// The challenge.
	bigB, err := parseHex(v.SrpB)
	if err != nil {
		return "", "", err
	}
	if new(big.Int).Mod(bigB, grp.n).Sign() == 0 {
		return "", "", fmt.Errorf("B mod N = 0")
	}
	salt, err := parseHex(v.Salt)
	if err != nil {
		return "", "", err
	}
	u := new(big.Int).SetBytes(hashOf(pad(bigA), pad(bigB)))
	if u.Sign() == 0 {
		return "", "", fmt.Errorf("u = 0")
	}
	poolName := v.UserPoolID[strings.IndexByte(v.UserPoolID, '_')+1:]
	inner := hashOf([]byte(poolName), []byte(v.UserIDForSRP), []byte(":"), []byte(v.Password))
	x := new(big.Int).SetBytes(hashOf(pad(salt), inner))
	gx := new(big.Int).Exp(grp.g, x, grp.n)
	base := new(big.Int).Mul(grp.k, gx)
	base.Sub(bigB, base).Mod(base, grp.n) // Euclidean: 0 <= base < N
	exp := new(big.Int).Mul(u, x)
	exp.Add(exp, a)
	s := new(big.Int).Exp(base, exp, grp.n)

	// HKDF-SHA256, written out: extract, then the first expand block.
	prk := hmacOf(pad(u), pad(s))
	key := hmacOf(prk, []byte("Caldera Derived Key"), []byte{1})[:16]

	secretBlock, err := base64.StdEncoding.DecodeString(v.SecretBlock)
	if err != nil {
		return "", "", fmt.Errorf("SECRET_BLOCK: %w", err)
	}
	claim := hmacOf(key, []byte(poolName), []byte(v.UserIDForSRP), secretBlock, []byte(now()))
	return srpA, base64.StdEncoding.EncodeToString(claim), nil
}

func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

func fail(code int, format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "go-login: "+format+"\n", args...)
	os.Exit(code)
}

func main() {
	vectorName, samples, minSampleMs := "baseline_uuid_user", 15, 50.0
	var rest []string
	argv := os.Args[1:]
	for i := 0; i < len(argv); i++ {
		flagValue := func() string {
			if i+1 >= len(argv) {
				fail(2, "%s needs a value", argv[i])
			}
			i++
			return argv[i]
		}
		var err error
		switch argv[i] {
		case "--vector":
			vectorName = flagValue()
		case "--samples":
			samples, err = strconv.Atoi(flagValue())
		case "--min-sample-ms":
			minSampleMs, err = strconv.ParseFloat(flagValue(), 64)
		default:
			rest = append(rest, argv[i])
		}
		if err != nil || samples < 1 {
			fail(2, "bad value for %s", argv[i-1])
		}
	}
	if len(rest) != 1 {
		fail(2, "usage: go_login VECTORS_JSON [--vector NAME] [--samples N] [--min-sample-ms MS]")
	}

	raw, err := os.ReadFile(rest[0])
	if err != nil {
		fail(2, "%v", err)
	}
	var file vectorFile
	if err := json.Unmarshal(raw, &file); err != nil {
		fail(2, "%s: %v", rest[0], err)
	}
	var v *vector
	for i := range file.Vectors {
		if file.Vectors[i].Name == vectorName {
			v = &file.Vectors[i]
		}
	}
	if v == nil {
		fail(2, "no vector %s", vectorName)
	}

	// One-off set-up (not timed): the group constants and the fixed a.
	n, err := parseHex(file.Constants.N)
	if err != nil {
		fail(2, "constants.N: %v", err)
	}
	g, err := parseHex(file.Constants.G)
	if err != nil {
		fail(2, "constants.g: %v", err)
	}
	grp := &group{n: n, g: g, k: new(big.Int).SetBytes(hashOf(pad(n), pad(g)))}
	if want, _ := parseHex(file.Constants.K); want == nil || want.Cmp(grp.k) != 0 {
		fail(1, "k = H(pad(N) || pad(g)) = %x differs from constants.k", grp.k)
	}
	a, err := parseHex(v.A)
	if err != nil {
		fail(2, "a: %v", err)
	}
	now := func() string { return v.Timestamp } // the fixed clock

	srpA, signature, err := login(grp, a, v, now)
	if err != nil {
		fail(1, "login failed: %v", err)
	}
	if srpA != v.Expected.SrpA {
		fail(1, "SRP_A differs from the vector")
	}
	if signature != v.Expected.Signature {
		fail(1, "signature differs from the vector")
	}

	// Calibrate the batch size.
	batch := 1
	for {
		c0 := cpuNanos()
		for i := 0; i < batch; i++ {
			login(grp, a, v, now)
		}
		if float64(cpuNanos()-c0)/1e6 >= minSampleMs {
			break
		}
		batch *= 2
	}

	cpu := make([]float64, 0, samples)
	wall := make([]float64, 0, samples)
	for s := 0; s < samples; s++ {
		c0, w0 := cpuNanos(), time.Now()
		for i := 0; i < batch; i++ {
			login(grp, a, v, now)
		}
		w := time.Since(w0)
		c1 := cpuNanos()
		cpu = append(cpu, float64(c1-c0)/float64(batch)/1e3)
		wall = append(wall, float64(w.Nanoseconds())/float64(batch)/1e3)
	}
	fmt.Printf("# %d samples x %d logins, vector %s, %s\n", samples, batch, vectorName, runtime.Version())
	fmt.Printf("go_version=%s\n", runtime.Version())
	fmt.Printf("go_login_cpu_median_us=%.1f\n", median(cpu))
	fmt.Printf("go_login_wall_median_us=%.1f\n", median(wall))
}
