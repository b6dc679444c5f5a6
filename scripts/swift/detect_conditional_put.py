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

What is guaranteed: a conditional PUT for a key that already exists (fully written before the
request reached the object server) fails with 412 and leaves the existing object untouched.
What is NOT guaranteed: atomicity under a race. The object server checks for an existing object
when the PUT starts and commits when the body has arrived; two PUTs whose windows overlap can both
succeed (the later one wins). With a single replica and small bodies the window is milliseconds.
Callers that need mutual exclusion must re-read the object after creating it and treat a mismatch
as having lost the race.

Only ``If-None-Match: *`` on PUT is handled; other conditional PUTs are still refused by s3api.
"""

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

    def __call__(self, env, start_response):
        if (env.get(STASH_KEY) == "*" and env.get("REQUEST_METHOD") == "PUT"
                and _is_object_path(env.get("PATH_INFO", ""))
                and "HTTP_X_COPY_FROM" not in env):
            env["HTTP_IF_NONE_MATCH"] = "*"
        return self.app(env, start_response)


def stash_filter_factory(global_conf, **local_conf):
    return StashConditionalPut


def restore_filter_factory(global_conf, **local_conf):
    return RestoreConditionalPut
