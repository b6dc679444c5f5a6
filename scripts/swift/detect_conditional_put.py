"""Lets S3 ``PUT`` requests with ``If-None-Match: *`` through Swift's s3api middleware.

Swift's s3api (2.30) refuses every conditional object PUT with 501 NotImplemented, although Swift
itself honours ``If-None-Match: *`` on an object PUT (412 when the object exists). Two paste filters
bridge the gap:

* ``stash`` sits *before* s3api. It moves an ``If-None-Match: *`` header of a PUT into a private
  WSGI environ key so that s3api's header validation does not see it. The SigV4 signature still
  verifies because s3api computes it from ``environ['headers_raw']`` (the raw request headers that
  eventlet records), which this filter leaves untouched.
* ``restore`` sits *after* the auth filter (tempauth), right before the proxy app. It puts the header
  back on the Swift object PUT that s3api issues, so the proxy enforces it; s3api maps Swift's 412
  to the S3 ``PreconditionFailed`` error.

What is guaranteed:
* A conditional PUT for a key that already exists fails with 412 (S3 ``PreconditionFailed``) and
  leaves the existing object untouched.
* Conditional PUTs of the same object that pass through the same proxy *process* are serialised by
  ``restore`` (a per-object green lock held until the object is committed), so of several racing
  creates exactly one succeeds. The single-node server of scripts/s3-server.sh runs one proxy
  process (``workers = 0``), so there creates are atomic.
What is NOT guaranteed:
* Swift alone is not atomic: the object server checks for an existing object when a PUT starts and
  commits when the body has arrived, so two conditional PUTs that reach the object servers through
  different proxy processes or nodes can both succeed (the later one wins). Measured here without
  the lock: 8 concurrent creates of one key gave 1 to 8 "winners". Deployments with several proxy
  workers or nodes must not rely on it; callers there should re-read the object after creating it.
* A plain (unconditional) PUT is not held back by the lock and overwrites as usual.

Only ``If-None-Match: *`` on PUT is handled; other conditional PUTs are still refused by s3api.
"""

from eventlet.semaphore import Semaphore

STASH_KEY = "detect.s3.if_none_match"


def _is_object_path(path):
    # /v1/<account>/<container>/<object>
    parts = path.split("/", 4)
    return len(parts) == 5 and parts[1] == "v1" and parts[4] != ""


class StashConditionalPut(object):
    def __init__(self, app):
        self.app = app

    def __call__(self, env, start_response):
        if env.get("REQUEST_METHOD") == "PUT" and env.get("HTTP_IF_NONE_MATCH", "").strip() == "*":
            del env["HTTP_IF_NONE_MATCH"]
            env[STASH_KEY] = "*"
        return self.app(env, start_response)


class RestoreConditionalPut(object):
    def __init__(self, app):
        self.app = app
        self._locks = {}  # object path -> [semaphore, holders + waiters]

    def __call__(self, env, start_response):
        path = env.get("PATH_INFO", "")
        if not (env.get(STASH_KEY) == "*" and env.get("REQUEST_METHOD") == "PUT"
                and _is_object_path(path) and "HTTP_X_COPY_FROM" not in env):
            return self.app(env, start_response)
        env["HTTP_IF_NONE_MATCH"] = "*"
        entry = self._locks.setdefault(path, [Semaphore(1), 0])
        entry[1] += 1
        entry[0].acquire()
        try:
            # The proxy's PUT handler has sent the body and collected the object server's final status
            # (the object is committed) by the time it returns; only the small response body is left.
            return self.app(env, start_response)
        finally:
            entry[0].release()
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[path]


def stash_filter_factory(global_conf, **local_conf):
    return StashConditionalPut


def restore_filter_factory(global_conf, **local_conf):
    return RestoreConditionalPut
