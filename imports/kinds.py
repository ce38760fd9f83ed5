"""The kinds of sheet an import reads, by ``ImportKind`` code: each a class run once per pass
(``imports.engine.Kind``)."""

from imports.cases import CaseFiles
from imports.choices import ImportKind
from imports.handovers_sheet import Handovers
from imports.projects_sheet import Projects

KINDS = {
    ImportKind.CASES: CaseFiles,
    ImportKind.PROJECTS: Projects,
    ImportKind.HANDOVERS: Handovers,
}


def kind_for(batch):
    return KINDS[batch.kind](batch)
