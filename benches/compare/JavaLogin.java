// Times one full Cognito SRP client login (USER_SRP_AUTH) in Java, JDK only,
// on one vector of vectors/user_srp.json.
//
// Usage: javac -d OUT JavaLogin.java
//        java -cp OUT JavaLogin VECTORS_JSON [--vector NAME] [--samples N]
//             [--min-sample-ms MS] [--warmup-ms MS]
//
// One timed login is what a Java client written on java.math.BigInteger does
// per sign-in, without the network:
//   * A = g^a mod N (BigInteger.modPow) for the vector's fixed a,
//     SRP_A = A.toString(16);
//   * the challenge: SRP_B and SALT parsed with new BigInteger(hex, 16) (SALT
//     is a signed hex integer), B mod N = 0 and u = 0 rejected,
//     u = H(pad(A) || pad(B)), x = H(pad(salt) || H(pool_name || user_id ||
//     ":" || password)), S = (B - k * g^x)^(a + u*x) mod N, the HKDF written
//     out on javax.crypto.Mac HmacSHA256 (extract with salt pad(u) over pad(S),
//     one expand block with info "Caldera Derived Key", 16 bytes),
//     base64-decoding SECRET_BLOCK, the HMAC-SHA256 claim and its base64, with
//     the clock fixed to the vector's TIMESTAMP.
// pad(v) is BigInteger.toByteArray() itself (minimal big-endian two's
// complement). N, g and k come from the vector file; k = H(pad(N) || pad(g))
// is computed once, outside the timing, and checked against the file. The
// MessageDigest and Mac objects are obtained once and reused (re-initialised
// per use), as a client would keep them.
//
// Before timing, SRP_A and PASSWORD_CLAIM_SIGNATURE are checked against the
// vector (exit 1 on mismatch). Then the JIT is warmed up: logins are run for
// --warmup-ms of thread CPU time (default 3000) so that modPow and its
// Montgomery intrinsics are compiled by C2 before anything is measured. Each
// sample is a batch of logins taking at least --min-sample-ms of the main
// thread's CPU time (JIT and GC threads are not counted); the medians over
// --samples samples of per-login thread CPU time and wall time are printed
// last:
//   java_version=...
//   java_login_cpu_median_us=<float>
//   java_login_wall_median_us=<float>
//
// The vector file is read with the small JSON reader at the end of this file
// (the JDK has none; no dependencies).

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class JavaLogin {
    // Thread CPU time: nanosecond resolution (the JVM's process CPU time
    // ticks in 10 ms steps here); JIT and GC threads are not counted.
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final byte[] INFO = "Caldera Derived Key".getBytes(StandardCharsets.UTF_8);

    private final BigInteger n;
    private final BigInteger g;
    private final BigInteger k;
    private final MessageDigest sha256;
    private final Mac hmac;

    private JavaLogin(BigInteger n, BigInteger g) throws GeneralSecurityException {
        this.n = n;
        this.g = g;
        this.sha256 = MessageDigest.getInstance("SHA-256");
        this.hmac = Mac.getInstance("HmacSHA256");
        this.k = new BigInteger(1, hash(n.toByteArray(), g.toByteArray()));
    }

    private byte[] hash(byte[]... parts) {
        sha256.reset();
        for (byte[] p : parts) {
            sha256.update(p);
        }
        return sha256.digest();
    }

    private byte[] hmacOf(byte[] key, byte[]... parts) throws GeneralSecurityException {
        hmac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            hmac.update(p);
        }
        return hmac.doFinal();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One whole client login: {SRP_A, PASSWORD_CLAIM_SIGNATURE}. */
    private String[] login(BigInteger a, Vector v) throws GeneralSecurityException {
        // A = g^a mod N and its hex encoding (what InitiateAuth sends).
        BigInteger bigA = g.modPow(a, n);
        String srpA = bigA.toString(16);

        // The challenge.
        BigInteger bigB = new BigInteger(v.srpB, 16);
        if (bigB.mod(n).signum() == 0) {
            throw new GeneralSecurityException("B mod N = 0");
        }
        BigInteger salt = new BigInteger(v.salt, 16);
        BigInteger u = new BigInteger(1, hash(bigA.toByteArray(), bigB.toByteArray()));
        if (u.signum() == 0) {
            throw new GeneralSecurityException("u = 0");
        }
        String poolName = v.userPoolId.substring(v.userPoolId.indexOf('_') + 1);
        byte[] inner = hash(utf8(poolName), utf8(v.userIdForSrp), utf8(":"), utf8(v.password));
        BigInteger x = new BigInteger(1, hash(salt.toByteArray(), inner));
        BigInteger gx = g.modPow(x, n);
        BigInteger base = bigB.subtract(k.multiply(gx)).mod(n); // mod: 0 <= base < N
        BigInteger s = base.modPow(a.add(u.multiply(x)), n);

        // HKDF-SHA256, written out: extract, then the first expand block.
        byte[] prk = hmacOf(u.toByteArray(), s.toByteArray());
        byte[] key = Arrays.copyOf(hmacOf(prk, INFO, new byte[] {1}), 16);

        byte[] secretBlock = Base64.getDecoder().decode(v.secretBlock);
        byte[] claim = hmacOf(key, utf8(poolName), utf8(v.userIdForSrp), secretBlock, utf8(v.timestamp));
        return new String[] {srpA, Base64.getEncoder().encodeToString(claim)};
    }

    /** The fields of one vector that a login uses. */
    private static final class Vector {
        String userPoolId;
        String userIdForSrp;
        String password;
        String a;
        String salt;
        String srpB;
        String secretBlock;
        String timestamp; // the fixed clock
        String expectedSrpA;
        String expectedSignature;
    }

    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    private static void fail(int code, String message) {
        System.err.println("java-login: " + message);
        System.exit(code);
    }

    public static void main(String[] argv) throws Exception {
        String vectorName = "baseline_uuid_user";
        int samples = 15;
        double minSampleMs = 50;
        double warmupMs = 3000;
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < argv.length; i++) {
                switch (argv[i]) {
                    case "--vector": vectorName = argv[++i]; break;
                    case "--samples": samples = Integer.parseInt(argv[++i]); break;
                    case "--min-sample-ms": minSampleMs = Double.parseDouble(argv[++i]); break;
                    case "--warmup-ms": warmupMs = Double.parseDouble(argv[++i]); break;
                    default: rest.add(argv[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            fail(2, "bad arguments: " + e.getMessage());
        }
        if (rest.size() != 1 || samples < 1) {
            fail(2, "usage: JavaLogin VECTORS_JSON [--vector NAME] [--samples N] [--min-sample-ms MS] [--warmup-ms MS]");
        }

        Map<?, ?> file = null;
        try {
            file = (Map<?, ?>) new Json(new String(Files.readAllBytes(Paths.get(rest.get(0))), StandardCharsets.UTF_8)).document();
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            fail(2, rest.get(0) + ": " + e.getMessage());
        }
        Map<?, ?> constants = (Map<?, ?>) file.get("constants");
        Map<?, ?> raw = null;
        for (Object o : (List<?>) file.get("vectors")) {
            if (vectorName.equals(((Map<?, ?>) o).get("name"))) {
                raw = (Map<?, ?>) o;
            }
        }
        if (raw == null) {
            fail(2, "no vector " + vectorName);
        }
        Vector v = new Vector();
        v.userPoolId = (String) raw.get("user_pool_id");
        v.userIdForSrp = (String) raw.get("user_id_for_srp");
        v.password = (String) raw.get("password");
        v.a = (String) raw.get("a");
        v.salt = (String) raw.get("salt");
        v.srpB = (String) raw.get("srp_b");
        v.secretBlock = (String) raw.get("secret_block");
        v.timestamp = (String) raw.get("timestamp");
        Map<?, ?> expected = (Map<?, ?>) raw.get("expected");
        v.expectedSrpA = (String) expected.get("srp_a");
        v.expectedSignature = (String) expected.get("password_claim_signature");

        // One-off set-up (not timed): the group constants and the fixed a.
        JavaLogin client = new JavaLogin(
                new BigInteger((String) constants.get("N"), 16), new BigInteger((String) constants.get("g"), 16));
        if (!client.k.equals(new BigInteger((String) constants.get("k"), 16))) {
            fail(1, "k = H(pad(N) || pad(g)) = " + client.k.toString(16) + " differs from constants.k");
        }
        BigInteger a = new BigInteger(v.a, 16);

        String[] out = client.login(a, v);
        if (!out[0].equals(v.expectedSrpA)) {
            fail(1, "SRP_A differs from the vector");
        }
        if (!out[1].equals(v.expectedSignature)) {
            fail(1, "signature differs from the vector");
        }

        // Warm up the JIT (C2 compiles modPow's Montgomery loops), then
        // calibrate the batch size. The result is checked again afterwards.
        long c0 = cpuNanos();
        int warmupLogins = 0;
        while ((cpuNanos() - c0) / 1e6 < warmupMs) {
            client.login(a, v);
            warmupLogins++;
        }
        int batch = 1;
        for (;;) {
            c0 = cpuNanos();
            for (int i = 0; i < batch; i++) {
                client.login(a, v);
            }
            if ((cpuNanos() - c0) / 1e6 >= minSampleMs) {
                break;
            }
            batch *= 2;
        }

        List<Double> cpu = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        String[] last = null;
        for (int s = 0; s < samples; s++) {
            c0 = cpuNanos();
            long w0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                last = client.login(a, v);
            }
            long w1 = System.nanoTime();
            long c1 = cpuNanos();
            cpu.add((c1 - c0) / (double) batch / 1e3);
            wall.add((w1 - w0) / (double) batch / 1e3);
        }
        if (!Arrays.equals(last, out)) {
            fail(1, "a timed login computed a different result");
        }
        String javaVersion = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        System.out.printf("# %d samples x %d logins after %d warm-up logins, vector %s, %s%n",
                samples, batch, warmupLogins, vectorName, javaVersion);
        System.out.println("java_version=" + javaVersion);
        System.out.printf(java.util.Locale.ROOT, "java_login_cpu_median_us=%.1f%n", median(cpu));
        System.out.printf(java.util.Locale.ROOT, "java_login_wall_median_us=%.1f%n", median(wall));
    }

    /** A minimal JSON reader: objects, arrays, strings, numbers, true/false/null. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("trailing data");
            }
            return v;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + i);
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private Object value() {
            ws();
            char c = peek();
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (peek() == '}') {
                    i++;
                    return m;
                }
                for (;;) {
                    ws();
                    String key = string();
                    ws();
                    expect(':');
                    m.put(key, value());
                    ws();
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (peek() == ']') {
                    i++;
                    return l;
                }
                for (;;) {
                    l.add(value());
                    ws();
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') {
                return string();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected '" + c + "'");
            }
            return Double.valueOf(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (;;) {
                char c = peek();
                i++;
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = peek();
                i++;
                switch (e) {
                    case '"': case '\\': case '/': b.append(e); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'n': b.append('\n'); break;
                    case 'r': b.append('\r'); break;
                    case 't': b.append('\t'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); // UTF-16 units: surrogate pairs combine
                        i += 4;
                        break;
                    default: throw error("bad escape");
                }
            }
        }
    }
}
