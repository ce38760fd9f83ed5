"""The generated data set the benchmarks run on.

It lives in its own database (``<name>_bench``, kept between runs), never in the
development or demo database.
"""

from dataclasses import dataclass

from reintegration.demo import seed_organisation


@dataclass
class DataSet:
    case_files: int = 0


def build(stdout=None) -> DataSet:
    seed_organisation()
    return DataSet()
