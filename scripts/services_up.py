"""Exit 0 if PostgreSQL and Redis answer at the given URLs, else 1 saying which does not."""
import sys

import psycopg
import redis

pg_url, redis_url = sys.argv[1], sys.argv[2]
ok = True
try:
    psycopg.connect(pg_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL at {pg_url}: {exc}", file=sys.stderr)
    ok = False
try:
    redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
except Exception as exc:
    print(f"Redis at {redis_url}: {exc}", file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
