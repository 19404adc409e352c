// The three-step workflow of `java -jar workflow-runner.jar bench --workload w3`, on workflow-es + workflow-es-mongodb
// (the Node engine workflow-runner replaces), for the side-by-side figures of docs/benchmarks.md.
//
// workflow-es persists after every step: per step it loads the instance (findOne), runs the step, and writes it back
// (findOneAndUpdate). An instance counts as finished when its completed state has been written, as `bench` counts
// an instance finished when the store holds it completed.
//
// usage: node bench.js [--instances 20000] [--concurrency 1000] [--warmup 2000] [--mongo-uri mongodb://127.0.0.1:27018]
// Prints one JSON line, with the same names as `bench`: wf_per_s, cpu_ms_per_wf (this process's CPU over the
// measured part), p50_ms, p99_ms.
"use strict";

const workflowEs = require("workflow-es");
const workflowEsMongo = require("workflow-es-mongodb");

function option(name, fallback) {
  const at = process.argv.indexOf("--" + name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const instances = Number(option("instances", "20000"));
const concurrency = Number(option("concurrency", "1000"));
const warmup = Number(option("warmup", String(Math.floor(instances / 10))));
const baseUri = option("mongo-uri", "mongodb://127.0.0.1:27018").replace(/\/+$/, "");
const uri = baseUri + "/workflow-es-bench-" + Date.now();

class Noop extends workflowEs.StepBody {
  run(context) {
    return workflowEs.ExecutionResult.next();
  }
}

class W3 {
  constructor() {
    this.id = "bench.W3";
    this.version = 1;
  }

  build(builder) {
    builder.startWith(Noop).then(Noop).then(Noop);
  }
}

/** The provider as it is; a write of a completed instance resolves that instance's waiter. */
function watchCompletions(persistence) {
  const waiters = new Map();
  const finishedEarly = new Set();
  const persist = persistence.persistWorkflow.bind(persistence);
  persistence.persistWorkflow = async (instance) => {
    const id = instance.id;
    const completed = instance.status === workflowEs.WorkflowStatus.Complete;
    await persist(instance);
    if (!completed) return;
    const waiter = waiters.get(id);
    if (waiter) {
      waiters.delete(id);
      waiter();
    } else {
      finishedEarly.add(id);
    }
  };
  return (id) => new Promise((resolve) => {
    if (finishedEarly.delete(id)) resolve();
    else waiters.set(id, resolve);
  });
}

async function batch(host, finished, n) {
  const latencies = new Array(n);
  let inFlight = 0;
  let done = 0;
  let next = 0;
  let failed = 0;
  const cpuBefore = process.cpuUsage();
  const began = process.hrtime.bigint();
  await new Promise((allDone) => {
    const startMore = () => {
      while (inFlight < concurrency && next < n) {
        const index = next++;
        inFlight++;
        const t0 = process.hrtime.bigint();
        host.startWorkflow("bench.W3", 1, { index })
          .then((id) => finished(id))
          .catch(() => { failed++; })
          .then(() => {
            latencies[index] = Number(process.hrtime.bigint() - t0) / 1e6;
            inFlight--;
            done++;
            if (done === n) allDone();
            else startMore();
          });
      }
    };
    startMore();
  });
  const wallMs = Number(process.hrtime.bigint() - began) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const percentile = (p) => latencies[Math.max(0, Math.min(n - 1, Math.ceil(p * n) - 1))];
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, percentile, failed };
}

async function main() {
  const persistence = new workflowEsMongo.MongoDBPersistence(uri);
  await persistence.connect;
  const finished = watchCompletions(persistence);
  const config = workflowEs.configureWorkflow();
  config.usePersistence(persistence);
  const host = config.getHost();
  host.registerWorkflow(W3);
  await host.start();
  if (warmup > 0) await batch(host, finished, warmup);
  const measured = await batch(host, finished, instances);
  const round = (x, digits) => Math.round(x * 10 ** digits) / 10 ** digits;
  console.log(JSON.stringify({
    engine: "workflow-es",
    workload: "w3",
    store: "mongo",
    durability: "per-step",
    n: instances,
    concurrency,
    wall_ms: Math.round(measured.wallMs),
    wf_per_s: Math.round(instances / (measured.wallMs / 1000)),
    p50_ms: round(measured.percentile(0.5), 3),
    p99_ms: round(measured.percentile(0.99), 3),
    max_ms: round(measured.percentile(1.0), 3),
    cpu_ms_per_wf: round(measured.cpuMs / instances, 6),
    failed: measured.failed,
    ok: measured.failed === 0,
  }));
  host.stop();
  // The server keeps every database in memory: leave it as the run found it.
  await persistence.client.db().dropDatabase();
  await persistence.client.close();
  process.exit(measured.failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error("bench failed: " + e);
  process.exit(1);
});
