"""A gunicorn configuration for a flask-haven site with no buffering proxy in front.

``gunicorn -c gunicorn.conf.py 'yourapp:create_app()'``

Sync workers read each request body in full while holding the worker: two
clients sending one byte every few seconds stop a two-worker site. Threaded
workers (``gthread``) give each connection its own thread, so slow clients
hold a thread each and pages keep coming from the others. A buffering proxy
(nginx) in front is still the better fix; see docs/security.md.
"""

workers = 2
worker_class = "gthread"
# Threads per worker: how many slow or keep-alive connections a worker holds
# while still serving pages. Each thread costs little memory (the app is shared).
threads = 8
# A request that is still being sent after this many seconds is dropped,
# and a worker stuck this long is replaced.
timeout = 30
graceful_timeout = 10
keepalive = 5
# Bounds on the request line and headers: a client cannot make a worker
# hold megabytes of headers.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
