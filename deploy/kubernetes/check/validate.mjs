// Validates the Kubernetes manifests offline, as the API server would judge their shape, and against the
// gateway's own rules for its pods. Usage: node validate.mjs [DIR or FILE ...] (default: deploy/kubernetes,
// this folder excepted). Prints "ok FILE#DOC KIND NAME" per sound document, one line per problem as
// "FILE#DOC KIND NAME: field.path: message", then "checked N files, N documents: N problems"; exits 1 on any.
//
// Three checks:
// 1. The schema: kubernetes-models' validator for the document's apiVersion and kind (types, formats, enums,
//    required fields).
// 2. Unknown field names. Those validators let any extra key through (the Kubernetes OpenAPI schemas do not
//    say additionalProperties: false), while the API server drops or rejects it, so `replica: 2` would pass.
//    The validator runs on a Proxy of the document that records every key it looks up: a schema with
//    properties looks each of them up, a map (labels, annotations) is enumerated instead, and a free-form
//    object is not looked into at all. A key that was never looked up in an object the schema did look into
//    is not a field of that object.
// 3. The gateway's rules, for each pod template that runs the gateway's image (see gatewayRules below).
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../..");

function manifestFiles(paths) {
  const files = [];
  const walk = (path) => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path).sort()) {
        const child = join(path, entry);
        if (child === here || entry === "node_modules") continue;
        if (statSync(child).isDirectory() || /\.ya?ml$/.test(entry)) walk(child);
      }
    } else {
      files.push(path);
    }
  };
  for (const path of paths) walk(resolve(path));
  return files;
}

// "/spec/template/spec/containers/0/ports/0" -> "spec.template.spec.containers[0].ports[0]"
function fieldPath(segments) {
  let out = "";
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += (out ? "." : "") + segment.replace(/~1/g, "/").replace(/~0/g, "~");
  }
  return out || "(document)";
}

async function modelClass(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return null;
  try {
    // kubernetes-models/v1 (the core group), kubernetes-models/apps/v1, ...
    const exports = await import(`kubernetes-models/${apiVersion}`);
    return typeof exports[kind] === "function" && exports[kind].apiVersion === apiVersion ? exports[kind] : null;
  } catch {
    return null;
  }
}

// Runs the model's validator on a Proxy of the document; returns its errors and the keys it never looked up.
function validateWithKeyTracking(Model, doc) {
  const seen = new Map(); // object -> { read: Set of keys, enumerated: boolean }
  const proxies = new WeakMap();
  const track = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (proxies.has(value)) return proxies.get(value);
    const record = { read: new Set(), enumerated: false };
    seen.set(value, record);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === "string") record.read.add(key);
        return track(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === "string") record.read.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === "string") record.read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  const errors = [];
  try {
    Model.prototype.validate.call(track(doc));
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    errors.push(...e.errors);
  }

  const unknown = [];
  const walk = (value, path) => {
    if (value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, String(i)]));
      return;
    }
    const record = seen.get(value);
    // Never looked into (a free-form object) or enumerated as a map: any key goes; the schema saw the values.
    const keysChecked = record && !record.enumerated && record.read.size > 0;
    for (const key of Object.keys(value)) {
      if (keysChecked && !record.read.has(key)) {
        unknown.push([...path, key]);
      } else {
        walk(value[key], [...path, key]);
      }
    }
  };
  walk(doc, []);
  return { errors, unknown };
}

function schemaMessage(error) {
  const p = error.params || {};
  switch (error.keyword) {
    case "required":
      return { extra: p.missingProperty, message: "required field is missing" };
    case "type":
      return { message: `must be of type ${p.type}` };
    case "enum":
      return { message: `must be one of ${JSON.stringify(p.allowedValues)}` };
    case "format":
      return { message: `must match format ${p.format}` };
    default:
      return { message: `${error.keyword}: ${JSON.stringify(p)}` };
  }
}

// The gateway's rules for a pod template (Deployment, StatefulSet) that runs its image.
const IMAGE = "aws-cloudwatch-metrics-http-gateway";
const SHUTDOWN_DELAY_MS = 5000;
const SHUTDOWN_TIMEOUT_MS_DEFAULT = 25000; // Setting.SHUTDOWN_TIMEOUT_MS's default
const OOM_FLAG = "-XX:+ExitOnOutOfMemoryError";

function gatewayRules(doc, problem) {
  const pod = doc?.spec?.template;
  if (!pod || typeof pod !== "object") return;
  const base = ["spec", "template"];
  const containers = Array.isArray(pod.spec?.containers) ? pod.spec.containers : [];
  containers.forEach((container, i) => {
    if (typeof container?.image !== "string" || !container.image.split("/").pop().startsWith(IMAGE)) return;
    const at = [...base, "spec", "containers", String(i)];
    const env = new Map((container.env || []).map((e) => [e?.name, e?.value]));

    const admin = Number(env.get("ADMIN_PORT"));
    if (!env.get("ADMIN_PORT") || !Number.isInteger(admin)) {
      problem([...at, "env"], "ADMIN_PORT must be set: the probes and the Prometheus scrape use it, without a token");
    } else {
      const ports = new Map((container.ports || []).map((p) => [p?.name, p?.containerPort]));
      if (![...ports.values()].includes(admin)) problem([...at, "ports"], `no containerPort ${admin} (ADMIN_PORT)`);
      for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
        const spec = container[probe];
        if (!spec && probe !== "startupProbe") problem([...at, probe], "missing");
        if (!spec) continue;
        const port = spec.httpGet?.port;
        const number = typeof port === "string" ? ports.get(port) : port;
        if (number !== admin) {
          problem([...at, probe, "httpGet", "port"], `must be ADMIN_PORT (${admin}), is ${JSON.stringify(port)}`);
        }
      }
      const annotations = pod.metadata?.annotations || {};
      const a = [...base, "metadata", "annotations"];
      if (annotations["prometheus.io/scrape"] !== "true") problem([...a, "prometheus.io/scrape"], 'must be "true"');
      if (annotations["prometheus.io/port"] !== String(admin)) {
        problem([...a, "prometheus.io/port"], `must be ADMIN_PORT ("${admin}")`);
      }
      if (annotations["prometheus.io/path"] !== "/metrics") problem([...a, "prometheus.io/path"], 'must be "/metrics"');
    }

    const delay = Number(env.get("SHUTDOWN_DELAY_MS"));
    if (delay !== SHUTDOWN_DELAY_MS) {
      problem([...at, "env"], `SHUTDOWN_DELAY_MS must be "${SHUTDOWN_DELAY_MS}": endpoint removal spreads after SIGTERM`);
    }
    const timeout = env.has("SHUTDOWN_TIMEOUT_MS") ? Number(env.get("SHUTDOWN_TIMEOUT_MS")) : SHUTDOWN_TIMEOUT_MS_DEFAULT;
    const grace = pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (!(grace * 1000 > (delay || 0) + timeout)) {
      problem([...base, "spec", "terminationGracePeriodSeconds"],
        `${grace} s does not cover SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS (${(delay || 0) + timeout} ms)`);
    }

    // The image's ENTRYPOINT carries the JVM flags; a command: replaces it, and an option can turn the flag off.
    const command = [...(container.command || []), ...(container.args || [])];
    if (container.command && !command.includes(OOM_FLAG)) {
      problem([...at, "command"], `replaces the image's ENTRYPOINT: must keep ${OOM_FLAG}`);
    }
    for (const [name, value] of env) {
      if (typeof value === "string" && value.includes("-XX:-ExitOnOutOfMemoryError")) {
        problem([...at, "env"], `${name} turns ${OOM_FLAG} off`);
      }
    }

    // The tokens Secret is required: a pod without it must not start and run without auth.
    const volumes = new Map((pod.spec?.volumes || []).map((v, j) => [v?.name, [v, j]]));
    for (const claim of doc.spec.volumeClaimTemplates || []) volumes.set(claim?.metadata?.name, [{ claim }, -1]);
    const tokensFile = env.get("AUTH_TOKENS_FILE");
    if (!tokensFile) problem([...at, "env"], "AUTH_TOKENS_FILE must be set: the gateway must not run without auth");
    (container.volumeMounts || []).forEach((mount, j) => {
      const [volume, index] = volumes.get(mount?.name) || [];
      if (!volume) {
        problem([...at, "volumeMounts", String(j), "name"], `no volume named ${JSON.stringify(mount?.name)}`);
        return;
      }
      const holdsTokens = typeof tokensFile === "string" && tokensFile.startsWith(mount.mountPath + "/");
      if (holdsTokens && volume.secret && volume.secret.optional === true) {
        problem([...base, "spec", "volumes", String(index), "secret", "optional"],
          "the tokens Secret must be required: without it a pod would start without auth");
      }
    });
    const tokensMounted = (container.volumeMounts || []).some((mount) => {
      const [volume] = volumes.get(mount?.name) || [];
      return volume?.secret && typeof tokensFile === "string" && tokensFile.startsWith(mount.mountPath + "/");
    });
    if (tokensFile && !tokensMounted) {
      problem([...at, "volumeMounts"], `AUTH_TOKENS_FILE (${tokensFile}) is not in a mounted Secret`);
    }
  });
}

const args = process.argv.slice(2);
const files = manifestFiles(args.length ? args : [resolve(here, "..")]);
let documents = 0;
let problems = 0;

for (const file of files) {
  const shown = relative(repo, file).startsWith("..") ? file : relative(repo, file);
  let parsed;
  try {
    // YAML 1.1, as kubectl reads it (yes/no are booleans there); a duplicate key is an error, as it is there.
    parsed = parseAllDocuments(readFileSync(file, "utf8"), { version: "1.1", uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    console.log(`${shown}: cannot read: ${e.message}`);
    problems++;
    continue;
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  let index = -1;
  for (const document of parsed) {
    index++;
    if (document.errors.length) {
      for (const e of document.errors) console.log(`${shown}#${index}: YAML: ${e.message.split("\n")[0]}`);
      problems += document.errors.length;
      continue;
    }
    const doc = document.toJS();
    if (doc === null || doc === undefined) continue; // an empty document (a trailing ---)
    documents++;
    const label = `${shown}#${index} ${doc?.kind ?? "?"} ${doc?.metadata?.name ?? "?"}`;
    const found = [];
    const problem = (segments, message) => found.push(`${label}: ${fieldPath(segments)}: ${message}`);

    const Model = await modelClass(doc?.apiVersion, doc?.kind);
    if (!Model) {
      problem(["kind"], `no Kubernetes schema for apiVersion ${JSON.stringify(doc?.apiVersion)} kind ${JSON.stringify(doc?.kind)}`);
    } else {
      const { errors, unknown } = validateWithKeyTracking(Model, doc);
      for (const error of errors) {
        const segments = error.instancePath.split("/").filter(Boolean);
        const { extra, message } = schemaMessage(error);
        problem(extra ? [...segments, extra] : segments, message);
      }
      for (const segments of unknown) problem(segments, "unknown field");
      gatewayRules(doc, problem);
    }
    if (found.length) {
      for (const line of found) console.log(line);
      problems += found.length;
    } else {
      console.log(`ok ${label}`);
    }
  }
}

console.log(`checked ${files.length} files, ${documents} documents: ${problems} problems`);
process.exit(problems ? 1 : 0);
