// The Prosody side of `scripts/bench load` (bench/README.md, Load): the same workload as
// bench/SecureComms.Load, over XMPP with @xmpp/client 0.14.0 (STARTTLS, TLS 1.3, SASL SCRAM-SHA-1), printing
// the same JSON fields on stdout (progress on stderr).
//   node driver.mjs run  --port P --server-pid PID --clients N --messages M [--window 32]
//   node driver.mjs idle --port P --server-pid PID --connections C [--users 100]
// Users load00000, load00001... (password below) must exist (scripts/bench makes them); user 2k sends to 2k + 1.
// Needs NODE_TLS_REJECT_UNAUTHORIZED=0: the server's certificate is self-signed.
//
// Same as ours: 100-byte bodies; at most --window messages per pair sent and not yet received; latency =
// receive time - send time on this process's clock (performance.now(), carried in the body); messages/s over
// first send -> last delivery; at most 4 sign-ins in flight (our server's per-address limit); the server's CPU
// time and memory read from /proc/PID at the same points. XMPP has no per-message answer from the server and
// no receiver acknowledgement without XEP-0198 (not loaded): the receiver only counts.
import { client, xml } from "@xmpp/client";
import { pbkdf2 } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { createRequire } from "node:module";

const PASSWORD = "load-test passphrase, throwaway";
const DOMAIN = "localhost";
const BODY_BYTES = 100;
const SIGN_IN_CONCURRENCY = 4;
const OPEN_CONCURRENCY = 64;
const SETTLE_MS = 3000;
const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, as ProcessSample.cs
const RUN_TIMEOUT_MS = 10 * 60 * 1000;
const CONNECT_TIMEOUT_MS = 60 * 1000; // as LoadUsers.ConnectionOptions

// sasl-scram-sha-1 1.3.0 computes Hi() (PBKDF2-HMAC-SHA1, RFC 5802 §2.2) as 10,000 awaited WebCrypto HMAC
// calls, about half a second per sign-in on this machine: the client, not the server, would dominate the
// sign-in figure. Hi is exactly PBKDF2 with one 20-byte block, so it is swapped for node's native PBKDF2.
const bitops = createRequire(import.meta.url)("sasl-scram-sha-1/lib/bitops.js");
const pbkdf2Async = promisify(pbkdf2);
// Clients may cache SaltedPassword per (password, salt, iteration count) (RFC 5802 §5.1); all load accounts share
// one, so the cache makes the 10,000 idle sign-ins cost the client one PBKDF2. The server's work is unchanged.
const saltedPasswords = new Map();
bitops.Hi = (text, salt, iterations) => {
  const key = `${iterations}:${Buffer.from(salt).toString("base64")}:${text}`;
  if (!saltedPasswords.has(key)) {
    saltedPasswords.set(key, pbkdf2Async(text, Buffer.from(salt), iterations, 20, "sha1").then((b) => new Uint8Array(b)));
  }
  return saltedPasswords.get(key);
};

const options = parseArguments(process.argv.slice(2));
const name = (index) => `load${String(index).padStart(5, "0")}`;
const round = (value) => Math.round(value * 1000) / 1000;

function parseArguments(argv) {
  const [mode, ...rest] = argv;
  const parsed = { mode };
  for (let i = 0; i < rest.length; i += 2) {
    if (!rest[i].startsWith("--") || i + 1 >= rest.length) throw new Error(`expected --name value, got ${rest[i]}`);
    parsed[rest[i].slice(2)] = Number(rest[i + 1]);
  }
  return parsed;
}

function sample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))[1]) * 1024;
  return {
    cpuSeconds: (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS_PER_SECOND,
    rss: kb("VmRSS"),
    peak: kb("VmHWM"),
    at: performance.now(),
  };
}

function percentile(sorted, percent) {
  const rank = Math.ceil((percent / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

async function signIn(index, resource, available) {
  const xmpp = client({ service: `xmpp://127.0.0.1:${options.port}`, domain: DOMAIN, username: name(index), password: PASSWORD, resource });
  xmpp.reconnect.stop();
  xmpp.timeout = CONNECT_TIMEOUT_MS; // @xmpp/connection waits 2 s per step by default: too short under load
  xmpp.on("error", (error) => console.error(`${name(index)}/${resource}: ${error.message}`));
  await xmpp.start();
  const protocol = xmpp.socket.socket?.getProtocol?.(); // @xmpp/tls wraps the node TLSSocket
  if (protocol !== "TLSv1.3") throw new Error(`${name(index)}: not TLS 1.3 (${protocol})`);
  // Available: messages to the bare JID reach this resource. Idle connections stay unavailable: each new
  // available resource is announced to all the account's others, 100 per account in the idle test.
  if (available) await xmpp.send(xml("presence"));
  return xmpp;
}

async function inParallel(count, concurrency, work) {
  let next = 0;
  const results = new Array(count);
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    for (let index = next++; index < count; index = next++) results[index] = await work(index);
  }));
  return results;
}

async function stopAll(clients) {
  await Promise.allSettled(clients.filter(Boolean).map((c) => c.stop()));
}

async function runMessages() {
  const { clients, messages } = options;
  const window = options.window || 32;
  const pid = options["server-pid"];
  const beforeSignIn = sample(pid);
  const signedIn = await inParallel(clients, SIGN_IN_CONCURRENCY, (index) => signIn(index, "load", true));
  const afterSignIn = sample(pid);
  const signInSeconds = (afterSignIn.at - beforeSignIn.at) / 1000;
  const signInCpu = afterSignIn.cpuSeconds - beforeSignIn.cpuSeconds;
  console.error(`run: ${clients} clients signed in in ${signInSeconds.toFixed(1)} s`);

  const nonce = Math.random().toString(36).slice(2, 10).padEnd(8, "0");
  const latencies = [];
  let lastDelivery = 0;
  const pairs = [];
  for (let k = 0; k < clients / 2; k++) {
    const sender = signedIn[2 * k];
    const receiver = signedIn[2 * k + 1];
    const pair = { inFlight: 0, waiting: null, received: 0, done: null };
    const finished = new Promise((resolve) => { pair.done = resolve; });
    receiver.on("stanza", (stanza) => {
      if (!stanza.is("message")) return;
      const body = stanza.getChildText("body");
      const now = performance.now();
      if (!body || !body.startsWith(nonce)) return;
      latencies.push(now - Number(body.split(":")[2]));
      lastDelivery = now;
      pair.inFlight--;
      pair.waiting?.();
      pair.waiting = null;
      if (++pair.received === messages) pair.done();
    });
    const to = `${name(2 * k + 1)}@${DOMAIN}`;
    const send = async () => {
      for (let index = 0; index < messages; index++) {
        while (pair.inFlight >= window) await new Promise((resolve) => { pair.waiting = resolve; });
        pair.inFlight++;
        const head = `${nonce}:${index}:${performance.now().toFixed(3)}:`;
        sender.send(xml("message", { to, type: "chat", id: `${k}-${index}` }, xml("body", {}, head.padEnd(BODY_BYTES, "x"))));
      }
    };
    pairs.push({ send, finished });
  }

  const start = sample(pid);
  const firstSend = performance.now();
  const timeout = setTimeout(() => { console.error("run: timed out"); process.exit(1); }, RUN_TIMEOUT_MS);
  await Promise.all(pairs.map(async (p) => { await p.send(); await p.finished; }));
  clearTimeout(timeout);
  const end = sample(pid);
  await stopAll(signedIn);

  latencies.sort((a, b) => a - b);
  const seconds = (lastDelivery - firstSend) / 1000;
  const cpu = end.cpuSeconds - start.cpuSeconds;
  console.log(JSON.stringify({
    server: "prosody", clients, pairs: clients / 2, messagesPerSender: messages, bodyBytes: BODY_BYTES, window,
    delivered: latencies.length, seconds: round(seconds), messagesPerSecond: round(latencies.length / seconds),
    latencyP50Ms: round(percentile(latencies, 50)), latencyP99Ms: round(percentile(latencies, 99)),
    latencyMaxMs: round(latencies[latencies.length - 1]),
    serverCpuSeconds: round(cpu), serverCpuPercent: round((cpu / ((end.at - start.at) / 1000)) * 100),
    serverRssBytes: end.rss, serverPeakRssBytes: end.peak,
    signIn: {
      count: clients, concurrency: SIGN_IN_CONCURRENCY, seconds: round(signInSeconds), perSecond: round(clients / signInSeconds),
      serverCpuSeconds: round(signInCpu), serverCpuMsPerSignIn: round((signInCpu * 1000) / clients),
    },
  }));
}

async function runIdle() {
  const { connections } = options;
  const users = options.users || 100;
  const pid = options["server-pid"];
  const before = sample(pid);
  const start = performance.now();
  const idle = await inParallel(connections, OPEN_CONCURRENCY, (index) => signIn(index % users, `idle${index}`, false));
  const openSeconds = (performance.now() - start) / 1000;
  console.error(`idle: ${connections} connections signed in in ${openSeconds.toFixed(1)} s`);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const after = sample(pid);
  const stillOpen = idle.filter((c) => c.status === "online").length;
  console.log(JSON.stringify({
    server: "prosody", connections, users, authentication: "SASL SCRAM-SHA-1 sign-in, resource bound",
    openSeconds: round(openSeconds), serverRssBeforeBytes: before.rss, serverRssAfterBytes: after.rss,
    bytesPerConnection: round((after.rss - before.rss) / connections), stillOpen,
  }));
  await stopAll(idle);
}

if (options.mode === "run") await runMessages();
else if (options.mode === "idle") await runIdle();
else throw new Error("usage: node driver.mjs run|idle --port P --server-pid PID ...");
process.exit(0);
