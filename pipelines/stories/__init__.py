"""Stories across outlets: near-duplicates and write-ups of one event share a `story_id`.

features (what is compared) -> lsh (which stored articles to compare with) -> rules (same story or not)
-> cluster (incremental single-link, deterministic ids) -> store (sidecar index) -> assign (writer hook)
-> listing (stories of a search, for the CLI).
"""

from pipelines.stories.assign import StoryStats, assign_stories, rebuild

__all__ = ["StoryStats", "assign_stories", "rebuild"]
