"""Type aliases shared by the routing modules."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

ArrayLike = float | npt.ArrayLike
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
Window = tuple[float, float]  # an open interval, in minutes on the caller's clock
Clock = Callable[[], float]  # seconds, monotonic: the solvers' time budget runs on it
