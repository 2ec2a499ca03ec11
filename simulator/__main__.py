"""`python -m simulator [--host H] [--port P] [--speed S] ...` (see `config.build_parser`)."""

from __future__ import annotations

import uvicorn

from simulator.config import build_parser, config_from_args
from simulator.server import create_app


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    args = build_parser().parse_args(argv)
    app = create_app(config_from_args(args))
    print(f"Songbench simulator on http://{args.host}:{args.port} (speed {args.speed}, "
          f"media {app.state.sim.store.root})", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
