#!/usr/bin/python3
"""Checks that a Python file stays within what Python 3.6.4 offers (the assignment's version).

    /usr/bin/python3 check_py36.py [FILE ...]      (default: server.py beside this script)

Runs on any Python 3.8 or later (it needs ast.parse's feature_version).  Two checks:

1. Syntax: ``ast.parse(source, feature_version=(3, 6))`` refuses what the 3.6 grammar
   does not have (walrus, positional-only parameters, f-string ``=``, ``match``, ...).
2. Library: every ``module.name`` the file uses (``asyncio.run``, ``time.time_ns``), every
   module it imports, every ``__future__`` feature, every keyword argument and every bare
   method name in the tables below that came after 3.6 is reported with the version that
   added it.  Names are matched by spelling, not by type: a method name is listed here
   only when no 3.6 class has a method of that name that a herd would call (so
   ``loop.create_task``, which 3.6 has, passes, and ``asyncio.create_task`` does not).

Prints one line per finding, ``FILE:LINE: NAME is Python X.Y (3.6.4 has not got it)``,
and exits 1 if there is any, else prints ``FILE: within Python 3.6`` and exits 0.
"""

import ast
import os
import sys

# module.attribute (or module.sub.attribute) -> the version that added it
QUALIFIED = {
    "asyncio.run": (3, 7),
    "asyncio.create_task": (3, 7),
    "asyncio.get_running_loop": (3, 7),
    "asyncio.current_task": (3, 7),
    "asyncio.all_tasks": (3, 7),
    "asyncio.BufferedProtocol": (3, 7),
    "asyncio.SendfileNotAvailableError": (3, 7),
    "asyncio.to_thread": (3, 9),
    "asyncio.timeout": (3, 11),
    "asyncio.timeout_at": (3, 11),
    "asyncio.Timeout": (3, 11),
    "asyncio.TaskGroup": (3, 11),
    "asyncio.Runner": (3, 11),
    "asyncio.Barrier": (3, 11),
    "asyncio.BrokenBarrierError": (3, 11),
    "asyncio.eager_task_factory": (3, 12),
    "time.time_ns": (3, 7),
    "time.monotonic_ns": (3, 7),
    "time.perf_counter_ns": (3, 7),
    "time.process_time_ns": (3, 7),
    "time.thread_time": (3, 7),
    "time.thread_time_ns": (3, 7),
    "time.clock_gettime_ns": (3, 7),
    "time.clock_settime_ns": (3, 7),
    "math.remainder": (3, 7),
    "math.isqrt": (3, 8),
    "math.prod": (3, 8),
    "math.dist": (3, 8),
    "math.comb": (3, 8),
    "math.perm": (3, 8),
    "math.lcm": (3, 9),
    "math.nextafter": (3, 9),
    "math.ulp": (3, 9),
    "math.cbrt": (3, 11),
    "math.exp2": (3, 11),
    "functools.cached_property": (3, 8),
    "functools.singledispatchmethod": (3, 8),
    "functools.cache": (3, 9),
    "itertools.pairwise": (3, 10),
    "itertools.batched": (3, 12),
    "socket.create_server": (3, 8),
    "socket.has_dualstack_ipv6": (3, 8),
    "socket.send_fds": (3, 9),
    "socket.recv_fds": (3, 9),
    "shlex.join": (3, 8),
    "statistics.fmean": (3, 8),
    "statistics.geometric_mean": (3, 8),
    "statistics.NormalDist": (3, 8),
    "statistics.correlation": (3, 10),
    "os.waitstatus_to_exitcode": (3, 9),
    "os.pidfd_open": (3, 9),
    "os.memfd_create": (3, 8),
    "os.register_at_fork": (3, 7),
    "sys.breakpointhook": (3, 7),
    "sys.getandroidapilevel": (3, 7),
    "sys.pycache_prefix": (3, 8),
    "sys.unraisablehook": (3, 8),
    "sys.audit": (3, 8),
    "sys.addaudithook": (3, 8),
    "sys.platlibdir": (3, 9),
    "sys.orig_argv": (3, 10),
    "sys.stdlib_module_names": (3, 10),
    "sys.exception": (3, 11),
    "typing.Literal": (3, 8),
    "typing.Final": (3, 8),
    "typing.final": (3, 8),
    "typing.Protocol": (3, 8),
    "typing.TypedDict": (3, 8),
    "typing.runtime_checkable": (3, 8),
    "typing.Annotated": (3, 9),
    "typing.ParamSpec": (3, 10),
    "typing.TypeAlias": (3, 10),
    "typing.TypeGuard": (3, 10),
    "typing.Self": (3, 11),
    "typing.Never": (3, 11),
    "typing.LiteralString": (3, 11),
    "typing.assert_never": (3, 11),
    "typing.reveal_type": (3, 11),
    "typing.override": (3, 12),
    "contextlib.nullcontext": (3, 7),
    "contextlib.asynccontextmanager": (3, 7),
    "contextlib.AsyncExitStack": (3, 7),
    "contextlib.aclosing": (3, 10),
    "contextlib.chdir": (3, 11),
    "datetime.UTC": (3, 11),
    "ssl.TLSVersion": (3, 7),
    "ssl.HAS_TLSv1_3": (3, 7),
    "importlib.resources": (3, 7),
    "importlib.metadata": (3, 8),
    "enum.StrEnum": (3, 11),
    "enum.verify": (3, 11),
    "operator.call": (3, 11),
    "re.NOFLAG": (3, 11),
}

# modules that are not in 3.6's standard library
MODULES = {
    "contextvars": (3, 7),
    "dataclasses": (3, 7),
    "importlib.resources": (3, 7),
    "importlib.metadata": (3, 8),
    "graphlib": (3, 9),
    "zoneinfo": (3, 9),
    "tomllib": (3, 11),
    "wsgiref.types": (3, 11),
}

# from __future__ import X
FUTURE = {"annotations": (3, 7)}

# builtins used as plain names
BUILTINS = {
    "breakpoint": (3, 7),
    "aiter": (3, 10),
    "anext": (3, 10),
    "EncodingWarning": (3, 10),
    "ExceptionGroup": (3, 11),
    "BaseExceptionGroup": (3, 11),
}

# method names no 3.6 class a herd uses has (StreamWriter.wait_closed and is_closing came in
# 3.7; a transport's is_closing is 3.4.4, so is_closing cannot be listed by name)
METHODS = {
    "wait_closed": (3, 7),
    "start_tls": (3, 7),
    "sock_sendfile": (3, 7),
    "is_serving": (3, 7),
    "get_loop": (3, 7),
    "isascii": (3, 7),
    "fromisoformat": (3, 7),
    "get_coro": (3, 8),
    "set_name": (3, 8),
    "get_name": (3, 8),
    "removeprefix": (3, 9),
    "removesuffix": (3, 9),
    "is_relative_to": (3, 9),
    "randbytes": (3, 9),
    "bit_count": (3, 10),
    "cancelling": (3, 11),
    "uncancel": (3, 11),
    "add_note": (3, 11),
}

# keyword arguments added to functions that existed in 3.6
KEYWORDS = {
    "start_serving": (3, 7),
    "ssl_handshake_timeout": (3, 7),
    "capture_output": (3, 7),
    "happy_eyeballs_delay": (3, 8),
    "interleave": (3, 8),
    "missing_ok": (3, 8),
    "ssl_shutdown_timeout": (3, 11),
    "strict_timestamps": (3, 8),
}


def dotted(node):
    """'a.b.c' for a chain of Name and Attribute nodes, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def findings(source, filename):
    """(line, name, version) for everything newer than 3.6; a syntax error is one finding."""
    try:
        tree = ast.parse(source, filename, feature_version=(3, 6))
    except SyntaxError as e:
        return [(e.lineno or 0, "syntax: " + e.msg, None)]
    out = []
    aliases = {}        # local name -> module it stands for (import x as y)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name in MODULES:
                    out.append((node.lineno, "import " + a.name, MODULES[a.name]))
                aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if mod == "__future__":
                for a in node.names:
                    if a.name in FUTURE:
                        out.append((node.lineno, "from __future__ import " + a.name, FUTURE[a.name]))
                continue
            if mod in MODULES:
                out.append((node.lineno, "import " + mod, MODULES[mod]))
            for a in node.names:
                q = mod + "." + a.name
                if q in QUALIFIED:
                    out.append((node.lineno, q, QUALIFIED[q]))
                if q in MODULES:
                    out.append((node.lineno, "import " + q, MODULES[q]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            name = dotted(node)
            if name is not None:
                head, _, rest = name.partition(".")
                name = aliases.get(head, head) + ("." + rest if rest else "")
                if name in QUALIFIED:
                    out.append((node.lineno, name, QUALIFIED[name]))
            if node.attr in METHODS:
                out.append((node.lineno, "." + node.attr + "()", METHODS[node.attr]))
        elif isinstance(node, ast.Name) and node.id in BUILTINS:
            out.append((node.lineno, node.id, BUILTINS[node.id]))
        elif isinstance(node, ast.keyword) and node.arg in KEYWORDS:
            out.append((getattr(node, "lineno", 0) or 0, node.arg + "=", KEYWORDS[node.arg]))
    return sorted(set(out), key=lambda f: (f[0], f[1]))


def main(argv):
    files = argv or [os.path.join(os.path.dirname(os.path.abspath(__file__)), "server.py")]
    bad = 0
    for path in files:
        with open(path, "rb") as f:
            source = f.read()
        found = findings(source, path)
        for line, name, version in found:
            if version is None:
                print("%s:%d: %s (not Python 3.6 syntax)" % (path, line, name))
            else:
                print("%s:%d: %s is Python %d.%d (3.6.4 has not got it)" % (path, line, name, *version))
        if found:
            bad += 1
        else:
            print("%s: within Python 3.6" % path)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
