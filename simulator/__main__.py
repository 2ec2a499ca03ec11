"""`python -m simulator [--host H] [--port P] [--speed S] ...` (see `config.build_parser`)."""

from __future__ import annotations

import logging

import uvicorn

from simulator.config import build_parser, config_from_args
from simulator.server import create_app


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(config_from_args(args))
    sim = app.state.sim
    print(f"Songbench simulator on http://{args.host}:{args.port} (speed {args.speed}, "
          f"media {sim.store.root})", flush=True)
    if sim.persistence is not None:
        print(f"data dir {sim.persistence.dir.resolve()}: {sim.restored} tasks restored, "
              f"{sim.resumed} resumed", flush=True)
        sim.persistence.remember_address(args.host, args.port)
    else:
        print("no data dir: state is kept in memory only", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
