"""The app under waitress on 127.0.0.1, as ``crmkg serve`` runs it, and stopping it cleanly."""

from __future__ import annotations


class LiveServer:
    """The app under waitress on 127.0.0.1, in a thread, as ``crmkg serve`` runs it."""

    def __init__(self, application):
        import socket
        import threading

        from waitress.server import create_server

        from webapp.serving import waitress_options

        self.server = create_server(application, host="127.0.0.1", port=0,
                                    **waitress_options(application.config, threads=4))
        self.port = self.server.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        with socket.create_connection(("127.0.0.1", self.port), timeout=5):
            pass

    def stop(self) -> None:
        stop_waitress(self.server, self.thread)


def stop_waitress(server, thread) -> None:
    """Stop a waitress server run in a thread, leaving no thread that writes to a closed fd.

    ``server.close()`` alone closes the trigger pipe while waitress's worker
    threads may still pull it: their ``os.write(fd, b"x")`` then lands in whatever
    file reuses that fd number, such as the pipe through which ``subprocess.Popen``
    learns that a child's exec failed; a started server then looked failed and
    Popen waited forever for it (a hang seen here). So: stop the worker threads
    first, then close every channel from the loop's own thread, and let the loop end.
    """
    server.task_dispatcher.shutdown()

    def close_everything() -> None:
        for dispatcher in list(server._map.values()):
            dispatcher.close()

    server.trigger.pull_trigger(close_everything)
    thread.join(10)
