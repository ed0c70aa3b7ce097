"""Synthetic projects for the benchmarks: N environments x K keys, with a little drift."""

from __future__ import annotations

import random
from pathlib import Path


def make_project(root: Path, environments: int, keys: int, seed: int = 7) -> Path:
    """Write .env.example, one dotenv file per environment and drift.toml; return the config."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    names = [f"SETTING_{i:05d}" for i in range(keys)]
    example = []
    for index, name in enumerate(names):
        if index % 10 == 0:
            example.append(f"# @type int @min 1\n{name}={index + 1}\n")
        elif index % 25 == 1:
            example.append(f"# @secret\n{name}=\n")
        else:
            example.append(f"# Setting number {index}\n{name}=value-{index}\n")
    (root / ".env.example").write_text("".join(example), encoding="utf-8")
    config = ['[drift]\nschema = ".env.example"\n']
    for env in range(environments):
        lines = []
        for index, name in enumerate(names):
            if rng.random() < 0.002:
                continue  # missing
            if index % 10 == 0:
                value = str(index + 1 if rng.random() > 0.01 else 0)
            elif index % 25 == 1:
                value = f"{rng.getrandbits(128):032x}"
            else:
                value = f"value-{index}" if rng.random() > 0.05 else f"value-{index}-env{env}"
            lines.append(f"{name}={value}\n")
        if env % 4 == 0:
            lines.append(f"EXTRA_{env}=1\n")
        (root / f"env{env:02d}.env").write_text("".join(lines), encoding="utf-8")
        config.append(f'[environments.env{env:02d}]\nsources = [{{ type = "dotenv", path = "env{env:02d}.env" }}]\n')
    path = root / "drift.toml"
    path.write_text("\n".join(config), encoding="utf-8")
    return path
