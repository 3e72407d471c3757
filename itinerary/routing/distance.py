"""Great-circle distances by vectorised haversine (km), scalars or numpy arrays alike."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from itinerary.routing.aliases import ArrayLike

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG), what haversine approximations use


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> npt.NDArray[np.float64]:
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def distance_matrix_km(lats: npt.ArrayLike, lons: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Pairwise great-circle distances (km) between points, as an n x n matrix."""
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    return haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
