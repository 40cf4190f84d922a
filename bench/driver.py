#!/usr/bin/python3
"""Runs the benchmark jobs with frontline and its peers, measures them and compares the results.

Called by bench/run, which installs, builds and starts the private PostgreSQL server (PGHOST,
PGPORT, PGUSER in the environment). Every job is run from scratch by every tool: loading the
files is part of the job. Wall time is measured around the whole job (all of its processes);
peak memory is GNU time's "Maximum resident set size" of the largest process of the job and, for
PostGIS, also the VmHWM of the server process that ran the SQL.
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
PY = "/usr/bin/python3"
GNU_TIME = "/usr/bin/time"
OUTSIDE = "(outside all regions)"
FLAG_REL = 1e-3       # flag a pair whose gained or lost differs by more than 0.1 %
IGNORE_KM2 = 0.01     # ... unless both values are below 0.01 km²
FL_ROUND_KM2 = 5e-5   # frontline's JSON carries 4 decimals of km²: half a unit of rounding


class JobFailed(RuntimeError):
    pass


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def date_of(path):
    m = re.search(r"(\d{4})(\d{2})(\d{2})", pathlib.Path(path).name)
    return "-".join(m.groups())


# --------------------------------------------------------------------------------------------
# running and measuring
# --------------------------------------------------------------------------------------------

def run_measured(cmds, workdir, env=None):
    """Runs the commands one after another; returns (wall s of all, max RSS kB of any, CPU s of all)."""
    peak_kb, cpu_s = 0, 0.0
    t0 = time.perf_counter()
    for i, (cmd, stdout_name) in enumerate(cmds):
        tfile = workdir / f"time_{i}.txt"
        with open(workdir / stdout_name, "wb") as out, open(workdir / f"stderr_{i}.txt", "wb") as err:
            rc = subprocess.call([GNU_TIME, "-v", "-o", str(tfile), *cmd], stdout=out, stderr=err,
                                 cwd=workdir, env=env)
        if rc != 0:
            tail = (workdir / f"stderr_{i}.txt").read_text(errors="replace")[-2000:]
            raise JobFailed(f"exit {rc}: {' '.join(map(str, cmd))[:300]}\n{tail}")
        report = tfile.read_text()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
        peak_kb = max(peak_kb, int(m.group(1)) if m else 0)
        cpu_s += sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report))
    return time.perf_counter() - t0, peak_kb, cpu_s


def frontline_job(args, job, workdir, variant):
    store = workdir / "store.gpkg"
    ingest = [args.frontline, "ingest", "--store", str(store), *job["provider_args"], *job["files"]]
    series = [args.frontline, "series", "--store", str(store), *job["provider_args"],
              "--from", job["from"], "--to", job["to"], "--step", job["step"], "--json", "--quiet"]
    if job.get("regions"):
        series += ["--regions", job["regions"], "--region-field", job["region_field"]]
    if variant in ("kept", "kept1"):
        series += ["--min-area-km2", "0", "--min-width-m", "0"]
    if variant == "kept1":
        ingest += ["--threads", "1"]
        series += ["--threads", "1"]
    wall, peak, cpu = run_measured([(ingest, "ingest.out"), (series, "series.json")], workdir)
    doc = json.loads((workdir / "series.json").read_text())
    steps = {(s["from_snapshot"], s["to_snapshot"]): (s["gained_km2"], s["lost_km2"]) for s in doc["steps"]}
    regions = {}
    for s in doc["steps"]:
        for r in s.get("regions", []):
            regions[(s["from_snapshot"], s["to_snapshot"], r["region"])] = (r["gained_km2"], r["lost_km2"])
    slivers = sum(s["slivers_dropped_km2"] for s in doc["steps"])
    return {"wall_s": wall, "peak_kb": peak, "cpu_s": cpu, "steps": steps, "regions": regions,
            "slivers_dropped_km2": slivers,
            "detail": phase_detail(workdir, ["ingest", "series"])}


def phase_detail(workdir, names):
    """'ingest 2.4 s (CPU 2.3 s, 61 MB), series ...' from GNU time's reports."""
    parts = []
    for i, n in enumerate(names):
        report = (workdir / f"time_{i}.txt").read_text()
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", report)
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
        cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report))
        if m and rss:
            h, mi, s = m.groups()
            parts.append(f"{n} {int(h or 0) * 3600 + int(mi) * 60 + float(s):.1f} s "
                         f"(CPU {cpu:.1f} s, {int(rss.group(1)) / 1024:.0f} MB)")
    return ", ".join(parts)


def read_steps_csv(path):
    with open(path, newline="") as f:
        return {(r["from"], r["to"]): (float(r["gained_km2"]), float(r["lost_km2"])) for r in csv.DictReader(f)}


def read_regions_csv(path):
    with open(path, newline="") as f:
        return {(r["from"], r["to"], r["region"]): (float(r["gained_km2"]), float(r["lost_km2"]))
                for r in csv.DictReader(f)}


def geopandas_job(args, job, workdir):
    cmd = [PY, str(HERE / "peer_geopandas.py"), *job["files"], "--out", str(workdir / "steps.csv")]
    if job.get("regions"):
        cmd += ["--regions", job["regions"], "--region-field", job["region_field"],
                "--regions-out", str(workdir / "regions.csv")]
    wall, peak, cpu = run_measured([(cmd, "stdout.txt")], workdir)
    return {"wall_s": wall, "peak_kb": peak, "cpu_s": cpu, "steps": read_steps_csv(workdir / "steps.csv"),
            "regions": read_regions_csv(workdir / "regions.csv") if job.get("regions") else {}, "detail": ""}


def postgis_job(args, job, workdir, db, one_load=False):
    env = dict(os.environ, PGDATABASE=db)
    # A fresh database for every run (not timed: a user has a database before the job starts).
    subprocess.run(["dropdb", "--if-exists", db], check=True, env=env)
    subprocess.run(["createdb", db], check=True, env=env)
    subprocess.run(["psql", "-X", "-q", "-c", "CREATE EXTENSION postgis"], check=True, env=env)
    out = workdir / "out"
    cmd = ["bash", str(HERE / "peer_postgis.sh"), str(out)] + (["--one-load"] if one_load else [])
    if job.get("regions"):
        cmd += ["--regions", job["regions"], "--region-field", job["region_field"]]
    cmd += job["files"]
    wall, peak, cpu = run_measured([(cmd, "stdout.txt")], workdir, env=env)
    hwm, ticks = (int(x) for x in (out / "backend_stats").read_text().split())
    cpu += ticks / os.sysconf("SC_CLK_TCK")
    load = float((out / "load_seconds").read_text())
    subprocess.run(["dropdb", "--if-exists", db], check=True, env=env)
    return {"wall_s": wall, "peak_kb": max(peak, hwm), "cpu_s": cpu, "steps": read_steps_csv(out / "steps.csv"),
            "regions": read_regions_csv(out / "regions.csv") if job.get("regions") else {},
            "detail": f"ogr2ogr load {load:.1f} s, SQL {wall - load:.1f} s (server process CPU "
                      f"{ticks / os.sysconf('SC_CLK_TCK'):.1f} s, {hwm / 1024:.0f} MB; clients {peak / 1024:.0f} MB)"}


# --------------------------------------------------------------------------------------------
# agreement
# --------------------------------------------------------------------------------------------

def rel_diff(a, b):
    if abs(a) < IGNORE_KM2 and abs(b) < IGNORE_KM2:
        return None
    return abs(a - b) / max(abs(a), abs(b))


def compare(ref, peer, what):
    """Max relative difference of gained and lost between frontline (slivers kept) and a peer.

    Keys are (from, to) or (from, to, region); a key one side lacks counts as 0 km² there (the
    peers list only the regions a change touches). Values where both sides are < 0.01 km² are
    not compared."""
    out = {"gained_max_rel": 0.0, "lost_max_rel": 0.0, "gained_max_rel_peer_rounded": 0.0,
           "lost_max_rel_peer_rounded": 0.0, "gained_max_abs_km2": 0.0, "lost_max_abs_km2": 0.0,
           "compared": 0, "flagged": []}
    for key in sorted(set(ref) | set(peer)):
        fg, fl = ref.get(key, (0.0, 0.0))
        pg, pl = peer.get(key, (0.0, 0.0))
        bad = compared = False
        rounding_only = True  # every value over the threshold is within frontline's 4-decimal rounding
        for name, a, b in (("gained", fg, pg), ("lost", fl, pl)):
            out[f"{name}_max_abs_km2"] = max(out[f"{name}_max_abs_km2"], abs(a - b))
            r = rel_diff(a, b)
            if r is None:
                continue
            compared = True
            out[f"{name}_max_rel"] = max(out[f"{name}_max_rel"], r)
            # The same with the peer's value rounded to frontline's 4 decimals of km².
            rr = rel_diff(a, round(b, 4)) or 0.0
            out[f"{name}_max_rel_peer_rounded"] = max(out[f"{name}_max_rel_peer_rounded"], rr)
            if r > FLAG_REL:
                bad = True
                rounding_only &= abs(a - b) <= FL_ROUND_KM2 + 1e-9
        out["compared"] += compared
        if bad:
            out["flagged"].append({"what": what, "key": list(key),
                                   "frontline": list(ref[key]) if key in ref else None,
                                   "peer": list(peer[key]) if key in peer else None,
                                   "within_rounding": rounding_only})
    return out


def agreement_text(c):
    if c is None:
        return ""
    def pct(x):
        return f"{100 * x:.4f}%" if x < 1e-2 else f"{100 * x:.2f}%"
    n = len(c["flagged"])
    rounding = sum(1 for f in c["flagged"] if f.get("within_rounding"))
    text = f"gained {pct(c['gained_max_rel'])}, lost {pct(c['lost_max_rel'])}; {n} of {c['compared']} flagged"
    if rounding:
        text += (f" ({rounding} only by frontline's 4-decimal rounding; peer rounded to 4 decimals: "
                 f"gained {pct(c['gained_max_rel_peer_rounded'])}, lost {pct(c['lost_max_rel_peer_rounded'])})")
    return text


# --------------------------------------------------------------------------------------------
# jobs
# --------------------------------------------------------------------------------------------

def build_jobs(args, selected, scratch):
    data = pathlib.Path(args.data)
    dsm = sorted((data / "deepstatemap_occupied" / "data").glob("deepstatemap_data_*.geojson"), key=date_of)
    isw = sorted((data / "isw_via_nikkei" / "geoJSON" / "2022").glob("*/RussianAssessedCoTinUkraine/*.geojson"),
                 key=date_of)
    adm1 = data / "boundaries" / "geoboundaries_ukr_adm1" / "geoBoundaries-UKR-ADM1.geojson"
    jobs = {}
    if "J1" in selected or "J2" in selected:
        if len(dsm) != 79:
            log(f"note: expected 79 deepstatemap_occupied files, found {len(dsm)}")
    base = {"provider_args": [], "step": "snapshot", "region_field": "shapeName"}
    if "J1" in selected:
        jobs["J1"] = dict(base, files=[str(p) for p in dsm], title=f"{len(dsm)} DeepStateMap snapshots, "
                          f"{len(dsm) - 1} consecutive pairs: gained/lost km²")
    if "J2" in selected:
        jobs["J2"] = dict(base, files=[str(p) for p in dsm], regions=str(adm1),
                          title="J1 + per-oblast breakdown (geoBoundaries ADM1, 27 units + outside)")
    if "J3" in selected:
        if len(isw) != 7:
            log(f"note: expected 7 ISW CoT files, found {len(isw)}")
        jobs["J3"] = dict(base, files=[str(p) for p in isw], provider_args=["--provider", "isw"],
                          title=f"{len(isw)} ISW 'assessed control of terrain' snapshots (2022), "
                          f"{len(isw) - 1} pairs")
    for j in jobs.values():
        j["from"], j["to"] = date_of(j["files"][0]), date_of(j["files"][-1])
    if "SCALE" in selected:
        sdir = scratch / "scale_data"
        src = dsm_file = data / "deepstatemap_occupied" / "data" / "deepstatemap_data_20260101.geojson"
        log(f"SCALE: writing {args.scale_days} synthetic snapshots of ~{args.scale_vertices:,} vertices to {sdir}")
        t0 = time.perf_counter()
        info = subprocess.run([PY, str(HERE / "make_scale.py"), str(src), str(sdir), "--days", str(args.scale_days),
                               "--vertices", str(args.scale_vertices)], check=True, capture_output=True, text=True)
        meta = json.loads(info.stdout)
        log(f"SCALE: generated in {time.perf_counter() - t0:.0f} s: {meta}")
        files = sorted(str(p) for p in sdir.glob("scale_*.geojson"))
        jobs["SCALE"] = dict(base, files=files, step="day", scale_meta=meta,
                             title=f"synthetic: {dsm_file.name} densified to {meta['vertices_per_file']:,} vertices, "
                             f"a sector ({meta['moving_vertices']:,} vertices) moving daily; {len(files)} days, "
                             f"series --step day")
        jobs["SCALE"]["from"], jobs["SCALE"]["to"] = meta["first"], meta["last"]
    return jobs


def tools_for(job_name, args):
    tools = [("frontline", "frontline (defaults)"), ("kept", "frontline, slivers kept"),
             ("kept1", "frontline, slivers kept, 1 thread")]
    if job_name == "SCALE":
        tools = [("kept", "frontline, slivers kept")]
        if args.scale_peers and not args.skip_peers:
            tools += [("geopandas", "GeoPandas+pyproj"), ("postgis", "PostGIS")]
        return tools
    if not args.skip_peers:
        tools += [("geopandas", "GeoPandas+pyproj"), ("postgis", "PostGIS"),
                  ("postgis1", "PostGIS, one ogr2ogr for all files")]
    return tools


def run_tool(args, job_name, job, tool, scratch, rep):
    workdir = scratch / f"{job_name}_{tool}_{rep}"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    if tool in ("frontline", "kept", "kept1"):
        return frontline_job(args, job, workdir, tool)
    if tool == "geopandas":
        return geopandas_job(args, job, workdir)
    return postgis_job(args, job, workdir, f"bench_{job_name.lower()}", one_load=(tool == "postgis1"))


def versions(args):
    v = {"frontline": subprocess.run([args.frontline, "--version"], capture_output=True, text=True).stdout.strip()}
    try:
        out = subprocess.run([PY, "-c", "import geopandas, shapely, pyproj, shapely.geos as g; "
                              "print(geopandas.__version__, shapely.__version__, pyproj.__version__, "
                              "pyproj.proj_version_str, g.geos_version_string)"],
                             capture_output=True, text=True, check=True).stdout.split()
        v["geopandas"] = (f"GeoPandas {out[0]}, Shapely {out[1]} (GEOS {out[4]}), pyproj {out[2]} (PROJ {out[3]}), "
                          f"Python {platform.python_version()}")
    except (subprocess.CalledProcessError, IndexError):
        v["geopandas"] = "unavailable"
    if os.environ.get("PGHOST"):
        r = subprocess.run(["psql", "-X", "-At", "-d", "postgres", "-c", "SHOW server_version"],
                           capture_output=True, text=True)
        v["postgres"] = f"PostgreSQL {r.stdout.strip()}"
        r = subprocess.run(["psql", "-X", "-At", "-d", "template1", "-c",
                            "SELECT default_version FROM pg_available_extensions WHERE name='postgis'"],
                           capture_output=True, text=True)
        v["postgres"] += f", PostGIS {r.stdout.strip()}"
        r = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True)
        v["postgres"] += f", ogr2ogr ({r.stdout.strip()})"
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frontline", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True, help="folder for results.json and results.md")
    ap.add_argument("--scratch", required=True, help="temporary folder for stores, outputs and scale data")
    ap.add_argument("--jobs", default="J1,J2,J3,SCALE")
    ap.add_argument("--skip-peers", action="store_true")
    ap.add_argument("--scale-peers", action="store_true", help="also run the peers on the scale job (slow)")
    ap.add_argument("--scale-days", type=int, default=365)
    ap.add_argument("--scale-vertices", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each tool and job; the median run is shown")
    args = ap.parse_args()

    selected = [j.strip().upper() for j in args.jobs.split(",") if j.strip()]
    unknown = set(selected) - {"J1", "J2", "J3", "SCALE"}
    if unknown:
        sys.exit(f"bench: unknown job(s) {', '.join(sorted(unknown))}; choose from J1,J2,J3,SCALE")
    if args.skip_peers:
        os.environ.pop("PGHOST", None)
    scratch = pathlib.Path(args.scratch)
    out_dir = pathlib.Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    started = dt.datetime.now().astimezone()
    machine = {"cores": os.cpu_count(),
               "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
               "load_average_at_start": os.getloadavg()}
    if machine["load_average_at_start"][0] > 0.5:
        log(f"warning: load average is {machine['load_average_at_start'][0]:.2f}; "
            "something else is running and the times will be slower than on an idle machine")
    jobs = build_jobs(args, selected, scratch)
    for job in jobs.values():  # warm the page cache so that no tool pays for the first read
        for f in job["files"] + ([job["regions"]] if job.get("regions") else []):
            pathlib.Path(f).read_bytes()

    results = []
    for job_name, job in jobs.items():
        log(f"{job_name}: {job['title']}")
        runs = {}
        # Round by round, every tool once per round, each round starting one tool later: this
        # machine's speed drifts by 10-30 % within minutes, and running one tool's repeats back to
        # back turned that drift into a bias between tools (the first tool of each job was
        # measured slower round after round).
        tools = tools_for(job_name, args)
        all_reps = {tool: [] for tool, _ in tools}
        failed = set()
        for rep in range(args.repeat):
            shift = rep % len(tools)
            for tool, label in tools[shift:] + tools[:shift]:
                if tool in failed:
                    continue
                try:
                    all_reps[tool].append(run_tool(args, job_name, job, tool, scratch, rep))
                except JobFailed as e:
                    log(f"{job_name} {label}: FAILED {e}")
                    failed.add(tool)
                    all_reps[tool] = []
        for tool, label in tools:
            reps = all_reps[tool]
            if not reps:
                results.append({"job": job_name, "tool": label, "failed": True})
                continue
            # The run with the median wall time (the lower middle one for an even count) stands for
            # the tool; peak memory is the highest of all runs.
            r = sorted(reps, key=lambda x: x["wall_s"])[(len(reps) - 1) // 2]
            r["walls_s"] = [x["wall_s"] for x in reps]
            r["peak_kb"] = max(x["peak_kb"] for x in reps)
            runs[tool] = r
            log(f"{job_name} {label}: {r['wall_s']:.1f} s (CPU {r['cpu_s']:.1f} s), {r['peak_kb'] / 1024:.0f} MB  "
                f"{r['detail']}")
        ref = runs.get("kept")
        for tool, label in tools:
            if tool not in runs:
                continue
            r = runs[tool]
            row = {"job": job_name, "tool": label, "wall_s": r["wall_s"], "walls_s": r["walls_s"], "cpu_s": r["cpu_s"],
                   "peak_mb": r["peak_kb"] / 1024, "detail": r["detail"],
                   "ratio": r["wall_s"] / ref["wall_s"] if ref else None}
            if tool == "frontline":
                row["note"] = f"slivers dropped: {r['slivers_dropped_km2']:.4f} km² over all steps"
            if tool in ("geopandas", "postgis", "postgis1") and ref:
                row["steps_agreement"] = compare(ref["steps"], r["steps"], "steps")
                if job.get("regions"):
                    row["regions_agreement"] = compare(ref["regions"], r["regions"], "regions")
            if tool == "kept" and job_name == "SCALE":
                row["steps"] = {f"{a}..{b}": v for (a, b), v in sorted(r["steps"].items())}
            results.append(row)
        if ref:
            # Keep frontline's numbers (slivers kept) next to the peers' for the flagged pairs.
            job["frontline_totals"] = {"gained_km2": sum(g for g, _ in ref["steps"].values()),
                                       "lost_km2": sum(l for _, l in ref["steps"].values())}

    finished = dt.datetime.now().astimezone()
    machine["load_average_at_end"] = os.getloadavg()
    doc = {"started": started.isoformat(timespec="seconds"), "finished": finished.isoformat(timespec="seconds"),
           "machine": machine, "versions": versions(args),
           "jobs": {k: {kk: vv for kk, vv in v.items() if kk != "files"} | {"n_files": len(v["files"])}
                    for k, v in jobs.items()},
           "thresholds": {"flag_rel": FLAG_REL, "ignore_below_km2": IGNORE_KM2}, "repeat": args.repeat,
           "results": results}
    (out_dir / "results.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    text = report(doc)
    (out_dir / "results.md").write_text(text)
    print(text)
    return 1 if any(r.get("failed") for r in results) else 0


def report(doc):
    lines = [f"frontline benchmark, {doc['started']} to {doc['finished']}",
             f"machine: {doc['machine']['cores']} cores, {doc['machine']['memory_gib']} GiB; load average at start "
             f"{doc['machine']['load_average_at_start'][0]:.2f}, at end {doc['machine']['load_average_at_end'][0]:.2f}",
             *[f"{k}: {v}" for k, v in doc["versions"].items()], ""]
    for name, j in doc["jobs"].items():
        lines.append(f"{name}: {j['title']}")
    if doc.get("repeat", 1) > 1:
        lines += ["", f"each tool ran each job {doc['repeat']} times; the run with the median wall time is shown "
                  "(all wall times are in results.json), peak MB is the highest of the runs."]
    lines += ["", "ratio = tool wall time / 'frontline, slivers kept' wall time (above 1: frontline is faster).",
              "CPU s = user + system time of all the job's processes (PostGIS: with the server process that ran "
              "the SQL); frontline's series uses both cores by default, the peers one.",
              "agreement = max relative difference per pair against 'frontline, slivers kept'; a pair is flagged "
              "over 0.1 % (pairs where both values are < 0.01 km² are ignored).", ""]
    head = ["job", "tool", "wall s", "peak MB", "ratio", "CPU s", "agreement"]
    rows = []
    for r in doc["results"]:
        if r.get("failed"):
            rows.append([r["job"], r["tool"], "FAILED", "", "", "", ""])
            continue
        agree = agreement_text(r.get("steps_agreement"))
        if r.get("regions_agreement"):
            agree += " | regions: " + agreement_text(r["regions_agreement"])
        if r.get("note"):
            agree = r["note"]
        rows.append([r["job"], r["tool"], f"{r['wall_s']:.1f}", f"{r['peak_mb']:.0f}",
                     f"{r['ratio']:.2f}" if r.get("ratio") is not None else "", f"{r['cpu_s']:.1f}", agree])
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---" for _ in head) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", "where the time went:"]
    lines += [f"  {r['job']:5} {r['tool']:36} {r['detail']}" for r in doc["results"]
              if not r.get("failed") and r.get("detail")]
    flagged = [(r["job"], r["tool"], f) for r in doc["results"] if not r.get("failed")
               for k in ("steps_agreement", "regions_agreement") if r.get(k) for f in r[k]["flagged"]]
    real = [x for x in flagged if not x[2].get("within_rounding")]
    if real:
        lines += ["", "flagged beyond rounding (frontline slivers kept vs peer; gained, lost km²):"]
        for job, tool, f in real:
            fl = "none" if f["frontline"] is None else f"{f['frontline'][0]:.4f}, {f['frontline'][1]:.4f}"
            pe = "none" if f["peer"] is None else f"{f['peer'][0]:.4f}, {f['peer'][1]:.4f}"
            lines.append(f"  {job} {tool}: {' '.join(f['key'])}: frontline {fl} vs {pe}")
    else:
        lines += ["", "flagged beyond rounding: none"]
    rounding = {}
    for job, tool, f in flagged:
        if f.get("within_rounding"):
            fl, pe = f["frontline"] or [0.0, 0.0], f["peer"] or [0.0, 0.0]
            rounding.setdefault((job, tool), []).append(
                f"{' '.join(f['key'])}: {fl[0]:.4f}/{fl[1]:.4f} vs {pe[0]:.6f}/{pe[1]:.6f}")
    if rounding:
        lines += ["", "flagged only because frontline prints 4 decimals (|difference| <= 0.00005 km²; values of "
                  "0.01-0.05 km² then differ by up to 0.5 %), gained/lost:"]
        lines += [f"  {job} {tool}: {len(v)}: " + "; ".join(v[:3]) + (" ..." if len(v) > 3 else "")
                  for (job, tool), v in rounding.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
