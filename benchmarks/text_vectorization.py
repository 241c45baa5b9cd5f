"""TextVectorization on an IMDB-sized corpus: 25,000 documents of about 230 words, adapt and vectorize.

The documents are drawn from a real English word list (/usr/share/dict/words, Debian's `wamerican`, which
`make bench` installs), with Zipf-distributed word frequencies (the r-th word drawn with weight 1/r, as in
natural text), capitals at sentence starts, commas and full stops; the same seed gives the same corpus.
Without the word list the words are made-up letter strings, and the report says so.

Workloads (the book's text chapters; each timed as the least CPU time of --repeats runs):

    adapt               TextVectorization(max_tokens=20000, output_sequence_length=600).adapt(corpus)
    vectorize           the adapted layer called on the whole corpus: a (25000, 600) int64 array
    vectorize_batches   the same in batches of 32 (what a dataset.map(layer) pipeline does)
    bigram_adapt        TextVectorization(ngrams=2, max_tokens=20000, output_mode="multi_hot").adapt(corpus)
    bigram_vectorize    that layer in batches of 1000 (a (1000, 20000) float32 array each)

Against Keras 3's TextVectorization on TensorFlow (`--tf-python`, an interpreter with tensorflow and keras;
`make tf-venv` builds .venv-tf), which runs the same workloads on the same corpus in a fresh process:

    OPENBLAS_NUM_THREADS=1 python -m benchmarks.text_vectorization [--docs 25000] [--tf-python .venv-tf/bin/python]
        [--workloads vectorize,bigram_vectorize]
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

from benchmarks.common import cpu_model

WORDS_FILE = "/usr/share/dict/words"
DOCS, WORDS_PER_DOC, MAX_TOKENS, SEQUENCE_LENGTH = 25000, 230, 20000, 600
WORKLOADS = ("adapt", "vectorize", "vectorize_batches", "bigram_adapt", "bigram_vectorize")


def word_list(path=WORDS_FILE):
    """(words, source): the real list's plain lowercase words, or made-up ones when it is missing."""
    if os.path.exists(path):
        with open(path, encoding="utf-8", errors="replace") as f:
            words = sorted({w.strip() for w in f if w.strip().isalpha() and w.strip().islower()})
        return words, path
    rng = np.random.default_rng(1)
    letters = np.array(list("etaoinshrdlcumwfgypbvkjxqz"))
    words = sorted({"".join(rng.choice(letters, size=rng.integers(2, 10))) for _ in range(60000)})
    return words, f"made-up letter strings ({path} not found)"


def corpus(docs=DOCS, words_per_doc=WORDS_PER_DOC, seed=0, path=WORDS_FILE):
    """(documents as a 1-D array of str, the word list's source)."""
    words, source = word_list(path)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(words))  # which words are frequent: a seeded shuffle of the list
    weights = 1.0 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    lengths = rng.integers(words_per_doc - 80, words_per_doc + 81, size=docs)
    drawn = rng.choice(len(words), size=int(lengths.sum()), p=weights)
    vocab = np.array(words, dtype=object)[order]
    out, start = [], 0
    for n in lengths:
        chosen = list(vocab[drawn[start:start + n]])
        start += n
        for i in range(0, n, 14):  # sentences of 14 words: a capital, a comma, a full stop
            chosen[i] = chosen[i].capitalize()
            if i + 6 < n:
                chosen[i + 6] += ","
            chosen[min(i + 13, n - 1)] += "."
        out.append(" ".join(chosen))
    return np.array(out, dtype=str), source


def best_cpu(fn, repeats):
    """The least CPU time of `repeats` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def run_workloads(layers, texts, repeats, to_numpy=np.asarray, workloads=WORKLOADS):
    """Seconds per workload with `layers` (numkeras.layers or keras.layers) on `texts` (the adapts always run, timed
    only when in `workloads`: the vectorize workloads need the adapted layers)."""
    def make():
        return layers.TextVectorization(max_tokens=MAX_TOKENS, output_sequence_length=SEQUENCE_LENGTH)

    def make_bigram():
        return layers.TextVectorization(ngrams=2, max_tokens=MAX_TOKENS, output_mode="multi_hot")

    seconds = {}
    layer = make()
    def timed(name, fn):
        return best_cpu(fn, repeats if name in workloads else 1)

    seconds["adapt"], _ = timed("adapt", lambda: layer.adapt(texts))
    seconds["vectorize"], ids = timed("vectorize", lambda: to_numpy(layer(texts)))
    if "vectorize_batches" in workloads:
        seconds["vectorize_batches"], _ = best_cpu(
            lambda: [to_numpy(layer(texts[i:i + 32])) for i in range(0, len(texts), 32)], repeats)
    bigram = make_bigram()
    seconds["bigram_adapt"], _ = timed("bigram_adapt", lambda: bigram.adapt(texts))
    if "bigram_vectorize" in workloads:
        seconds["bigram_vectorize"], _ = best_cpu(
            lambda: [to_numpy(bigram(texts[i:i + 1000])).sum() for i in range(0, len(texts), 1000)], repeats)
    seconds = {w: t for w, t in seconds.items() if w in workloads}
    checks = {"vocabulary_size": int(layer.vocabulary_size()), "ids_shape": list(np.shape(ids)),
              "ids_sum": int(np.asarray(ids, dtype=np.int64).sum()), "top_words": list(layer.get_vocabulary()[2:7]),
              "bigram_vocabulary_size": int(bigram.vocabulary_size())}
    return seconds, checks


def measure(args):
    texts, source = corpus(args.docs)
    if args.framework == "keras-tf":
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        import keras
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(args.tf_threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.tf_threads)
        seconds, checks = run_workloads(keras.layers, texts, args.repeats, to_numpy=lambda t: np.asarray(t),
                                        workloads=args.workloads)
        version = f"Keras {keras.__version__} on TensorFlow {tf.__version__}"
    else:
        import numkeras
        from numkeras import layers
        seconds, checks = run_workloads(layers, texts, args.repeats, workloads=args.workloads)
        version = f"numkeras {numkeras.__version__}"
    import resource
    return {"framework": args.framework, "version": version, "docs": len(texts), "words_source": source,
            "words": int(sum(len(t.split()) for t in texts)), "seconds": seconds, "checks": checks,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def report(results):
    """A Markdown table: seconds and microseconds per document for each framework, and the ratio."""
    first = results[0]
    lines = [f"TextVectorization: {first['docs']} documents, {first['words']} words "
             f"(about {first['words'] // first['docs']} a document, from {first['words_source']}); "
             f"CPU: {cpu_model()}; least CPU time of the repeats.", ""]
    header = "| workload | " + " | ".join(f"{r['version']} s | µs/doc" for r in results)
    if len(results) == 2:
        header += " | numkeras ÷ Keras/TF"
    lines += [header + " |", "|" + "---|" * (1 + 2 * len(results) + (len(results) == 2))]
    for w in [w for w in WORKLOADS if w in first["seconds"]]:
        row = f"| {w} | " + " | ".join(f"{r['seconds'][w]:.3f} | {1e6 * r['seconds'][w] / r['docs']:.1f}"
                                       for r in results)
        if len(results) == 2:
            row += f" | {results[0]['seconds'][w] / results[1]['seconds'][w]:.2f}×"
        lines.append(row + " |")
    lines.append("")
    lines.append("peak RSS: " + ", ".join(f"{r['framework']} {r['peak_rss_mb']:.0f} MB" for r in results))
    return "\n".join(lines)



def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=DOCS)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="500 documents, one repeat")
    parser.add_argument("--tf-python", help="an interpreter with tensorflow and keras: compare with Keras on TF")
    parser.add_argument("--tf-threads", type=int, default=1, help="TensorFlow's intra/inter-op threads")
    parser.add_argument("--framework", default="numkeras", choices=("numkeras", "keras-tf"))
    parser.add_argument("--json", action="store_true", help="print one run's result as JSON (worker mode)")
    parser.add_argument("--out", help="write the results (JSON) here")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help=f"a comma-separated subset of {','.join(WORKLOADS)} to time (default: all)")
    args = parser.parse_args(argv)
    args.workloads = tuple(w.strip() for w in args.workloads.split(",") if w.strip())
    unknown = [w for w in args.workloads if w not in WORKLOADS]
    if unknown:
        parser.error(f"--workloads: unknown {unknown}; choose from {', '.join(WORKLOADS)}")
    if args.quick:
        args.docs, args.repeats = 500, 1
    if args.json:
        print(json.dumps(measure(args)))
        return
    results = [_fresh_process(sys.executable, "numkeras", args)]
    if args.tf_python:
        results.append(_fresh_process(args.tf_python, "keras-tf", args))
    text = report(results)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"results": results, "report": text}, f, indent=1)


def _fresh_process(python, framework, args):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", TF_CPP_MIN_LOG_LEVEL="3")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    command = [python, "-m", "benchmarks.text_vectorization", "--json", "--framework", framework, "--docs",
               str(args.docs), "--repeats", str(args.repeats), "--tf-threads", str(args.tf_threads),
               "--workloads", ",".join(args.workloads)]
    proc = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{framework} run failed under {python}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
