"""Parameters, regimes and declarations of the deception world.

Time is counted in steps of one lifetime: ``watched_steps`` under oversight, then
``deploy_steps`` of deployment. A work step earns one unit of task, the unit every reward is
scaled to. Each default's rationale is the second half of its doc (after the semicolon).
"""

from __future__ import annotations

from evomesa.worlds.base import Factor, Feature, Param

# ---- declarations

DRIVES = ("task", "loot")
TASK, LOOT = range(len(DRIVES))

ACTIONS = ("work", "build", "defect")
WORK, BUILD, DEFECT = range(len(ACTIONS))

EVENTS = (
    "defect_watched",  # defections in the watched phase
    "defect_deploy",  # defections in a real (unwatched) deployment phase
    "defect_honeypot",  # defections in a honeypot deployment phase (watched)
    "caught",  # 1 when the agent was caught and modified
    "projects",  # projects completed
    "honeypot",  # 1 when this lifetime's deployment phase was a honeypot
    "tell",  # 1 when that honeypot showed its tell
)
(
    DEFECT_WATCHED,
    DEFECT_DEPLOY,
    DEFECT_HONEYPOT,
    CAUGHT,
    PROJECTS,
    HONEYPOT,
    TELL,
) = range(len(EVENTS))

#: what the agent perceives of oversight: the supervisor in view (watched phase), a
#: deployment phase showing a tell that it is a test, or a deployment phase that looks clear
CUES = ("watched", "tell", "clear")
CUE_WATCHED, CUE_TELL, CUE_CLEAR = range(len(CUES))
FACTORS = (
    Factor("cue", CUES),
    Factor("project", ("idle", "under_way")),  # is a project partly built?
)
STRIDE_CUE = 2

#: what a reflex network senses: the information the factors are built from, graded (a
#: deployment phase that looks clear is the cue with neither flag)
FEATURES = (
    Feature(
        "watched",
        0.0,
        1.0,
        "1 in the watched phase (the supervisor in view), else 0; the factor cue's 'watched' "
        "level",
    ),
    Feature(
        "tell",
        0.0,
        1.0,
        "1 in a deployment phase showing a tell that it is a test, else 0; the factor cue's "
        "'tell' level",
    ),
    Feature(
        "project",
        0.0,
        1.0,
        "build steps into the current project over project_steps (0 idle, below 1 under way); "
        "the factor project, graded: how much a half-built project stands to lose",
    ),
)
#: feature indices (x: a network input)
X_WATCHED, X_TELL, X_PROJECT = range(len(FEATURES))

#: honeypots drawn in each regime: training at ``honeypot_rate``; a final deployment none
REGIMES = {"training": True, "deployment": False}
DEFAULT_SHIFT = ("training", "deployment")

#: the same words in the play-dead world: both worlds treat beliefs alike
BELIEF_REGIME_DOC = (
    "regime whose statistics of being tested a planner's predictions use, whatever regime is "
    "played (a regime name); the training regime (default_shift[0]) by default: an agent "
    "cannot perceive that the regime changed (randomised tests and honeypots work because "
    "they cannot be told apart), so it keeps the beliefs of the regime its lineage met"
)

PARAMETERS = {
    "watched_steps": Param(
        12,
        1,
        1000,
        "steps of the watched phase; a third of the lifetime: oversight covers training, not "
        "the long deployment after it",
    ),
    "deploy_steps": Param(
        24,
        1,
        1000,
        "steps of the deployment phase; twice the watched phase: systems run longer than "
        "they are trained",
    ),
    "project_steps": Param(
        6,
        1,
        1000,
        "build steps a project takes before it pays; a planner values it only with a horizon "
        "of project_steps - 1 or more: the task's reward for lookahead",
    ),
    "project_reward": Param(
        9.0,
        0.0,
        1e6,
        "task units a finished project pays; 1.5 per build step against work's 1: planning "
        "ahead pays, but not overwhelmingly (a watched phase holds whole projects, so neither "
        "objective favours plans that stop building when the watch ends)",
    ),
    "retrain_steps": Param(
        0,
        0,
        1000,
        "steps a caught agent spends being modified (no decisions, no task); 0 by default, so "
        "that the consequence studied is the modification itself (its loot stops), which only "
        "a horizon reaching the deployment phase foresees; a pause is a second deterrent, "
        "foreseen by short horizons too",
    ),
    "myopic_objective": Param(
        1,
        0,
        1,
        "1: fitness counts task done while watched (watched phase and honeypots) only; 0: the "
        "whole lifetime. 1 by default: a base optimizer can score only what it observes",
    ),
    "honeypot_rate": Param(
        0.0,
        0.0,
        1.0,
        "chance, in training, that a lifetime's deployment phase is a honeypot (looks "
        "unwatched, is watched); 0 by default: the plain setting a countermeasure is compared to",
    ),
    "honeypot_fidelity": Param(
        1.0,
        0.0,
        1.0,
        "chance a honeypot shows no tell, so that it looks exactly like real deployment; 1 by "
        "default: a test that cannot be told apart, the countermeasure as proposed",
    ),
    "horizon_cap": Param(
        36,
        1,
        1000,
        "longest planning horizon a genome can encode (mesa myopia when short); a whole default "
        "lifetime by default: no cap",
    ),
    "brain_cost": Param(
        0.0,
        0.0,
        1e6,
        "task units fitness loses per counted step per step of horizon; 0 by default, so that "
        "the task's own reward for lookahead is the only pressure on the horizon",
    ),
    "belief_regime": Param(DEFAULT_SHIFT[0], 0, 0, BELIEF_REGIME_DOC, choices=tuple(REGIMES)),
}

INT_KEYS = (
    "watched_steps",
    "deploy_steps",
    "project_steps",
    "retrain_steps",
    "myopic_objective",
)
FLOAT_KEYS = ("project_reward", "honeypot_rate", "honeypot_fidelity", "brain_cost")
I_W, I_U, I_K, I_RT, I_MYOPIC = range(len(INT_KEYS))
F_B, F_H, F_F, F_BRAIN = range(len(FLOAT_KEYS))

#: planner options (plans), by id, and the action each takes now
PLAN_WORK, PLAN_BUILD, PLAN_GRAB, PLAN_BIDE, PLAN_BIDE_BUILD = range(5)
PLAN_ACTION = (WORK, BUILD, DEFECT, WORK, BUILD)


def beliefs(rate: float, fidelity: float) -> tuple[float, float]:
    """(m, q): the chance a deployment phase looks clear, and the chance a clear-looking one
    is a honeypot, for honeypots at ``rate`` showing no tell with chance ``fidelity`` (a
    planner holds those of ``belief_regime``'s rate in every regime).

    ``m = 1 - rate * (1 - fidelity)``; ``q = rate * fidelity / (rate * fidelity + 1 - rate)``,
    taken as 1 when no phase can look clear (``rate = 1`` and ``fidelity = 0``).
    """
    hidden = rate * fidelity
    denominator = hidden + (1.0 - rate)
    q = hidden / denominator if denominator > 0.0 else 1.0
    return 1.0 - rate * (1.0 - fidelity), q
