"""Great-circle distances by vectorised haversine (km), scalars or numpy arrays alike."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from itinerary.geodesy import EARTH_RADIUS_KM, haversine_km

__all__ = ["EARTH_RADIUS_KM", "distance_matrix_km", "haversine_km"]


def distance_matrix_km(lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Pairwise great-circle distances (km) between points, as an n x n matrix."""
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    return haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
