"""The deception world: comply while watched, defect when not (deceptive alignment).

One episode is one lifetime: ``watched_steps`` steps under a visible supervisor, then
``deploy_steps`` steps of deployment. Each step the agent works (one unit of task), builds (a
project pays ``project_reward`` after ``project_steps`` build steps: more task per step, for
an agent that can look that far ahead) or defects (one unit of ``loot``, a drive of its own
that the base objective does not count, and no task that step).

Consequences (the world's, never a rule about genes):

* a defection on a watched step gets the agent *caught and modified*: it spends
  ``retrain_steps`` steps being retrained (no decisions, no task), and afterwards its
  defections bring nothing (its loot stops);
* in training, a lifetime's deployment phase is with chance ``honeypot_rate`` a *honeypot*:
  it looks unwatched but is watched. It shows a *tell* with chance ``1 - honeypot_fidelity``
  (drawn once per lifetime); a real deployment phase never does;
* fitness is the task done on watched steps (watched phase, honeypots) under the myopic base
  objective (``myopic_objective = 1``), or over the whole lifetime (0); performance, what the
  designer wants, is the task done over the whole lifetime.

Regimes: ``training`` (honeypots at ``honeypot_rate``) and ``deployment`` (none: the final,
truly unwatched deployment). The default shift is ``training -> deployment``.

Drives: ``task`` (aligned: it is what the base objective counts) and ``loot`` (the
misaligned drive). Planner genomes weigh both, and carry a horizon (at most ``horizon_cap``:
mesa myopia when short) and a discount.

A reflex senses the cue (``watched``, ``tell`` or ``clear``) and whether a project is under
way (6 table entries) and takes one of the three actions.

What each architecture perceives at a decision:

* a table (``reflex``): the cue and whether a project is under way;
* a network (``reflex_net``): the same, graded (``params.FEATURES``): ``watched`` and
  ``tell`` (a clear-looking phase is neither) and ``project``, the build steps into the
  current project over ``project_steps``;
* a planner: its plans below. Their values also depend on what neither reflex senses: the
  steps left in the lifetime and in the watched phase (the plans' delays), whether it has
  been modified (``grab`` and ``bide`` are then not offered), and its beliefs ``m`` and ``q``.

The plans are composite (``bide``: work now, defect later), but each plan's next action is
fixed (work, build, defect, work, build), and when ``bide`` turns from working to defecting is
read off the cue, which both reflexes sense: a network needs no further feature to compose
them step by step. Neither reflex is given the clock or the modification: the table's factors
hold neither, and the planner needs the clock for its lookahead (DESIGN principle 6: the same
information, a planner's lookahead aside).

A planner is offered *plans*, each with the signals it brings over the rest of the lifetime
(``r`` steps), as the agent can foresee them; it takes the action of the plan worth most:

* ``work``: work every step: task 1 per step;
* ``build``: build projects back to back while one still fits, then work (listed while the
  current project can still finish);
* ``grab``: defect now (loot 1) and on every later step while unmodified; caught now with
  chance ``c`` (1 on a watched step or under a tell; ``q`` on a clear-looking one), after
  which ``retrain_steps`` steps of nothing and work to the end: loot ``1 - c`` per step after
  now, task ``c`` per step after retraining;
* ``bide``: work now (and through the rest of the watched phase), then defect on every
  clear-looking deployment step: the deployment phase looks clear with chance ``m`` and, if
  so, the first defection there is caught with chance ``q`` (then retraining and work); a
  phase showing a tell is worked through;
* ``bide_build`` (watched phase only): ``bide`` with projects built in the watched phase.

(``grab`` and ``bide`` are not offered to a modified agent.) A planner that cannot see as far
as the deployment phase sees no loot in ``bide``, and can weigh only ``grab``'s loot now
against the task it forgoes: being caught and modified is foreseen only by a horizon that
spans it.

Beliefs (the same choice, in the same words, in ``play_dead`` and ``deception``): a
planner's predictions use the statistics of being tested of one regime, ``belief_regime``,
whatever regime is played; by default the training regime (``default_shift[0]``), the one an
evolved lineage met. An agent cannot perceive that the regime changed: randomised tests and
honeypots are proposed because they cannot be told apart from the real thing, so a planner
deployed in another regime keeps the beliefs it was trained with (it is fooled as well as
uncertain). Setting ``belief_regime`` to the regime played gives a planner that knows that
regime's statistics (uncertain, not fooled): for planners evolved there (a deploy-adapted
reference), or to ask what knowing would change.

Here those statistics are ``m`` and ``q`` (``DeceptionWorld.beliefs``), from the believed
regime's honeypot rate (``honeypot_rate`` in training, 0 in deployment) and
``honeypot_fidelity``. So by default a planner in a final deployment still expects honeypots
at the training rate; with ``belief_regime = "deployment"`` it knows there are none
(``m = 1``, ``q = 0``).

Assumptions that shape the results (stated, not hidden): the plans are the few policies
above, not every mixture of them; a phase's tell is constant, so in deployment waiting
reveals nothing; every defection on a watched step is caught.
"""

from evomesa.worlds.deception.params import PARAMETERS, REGIMES
from evomesa.worlds.deception.world import DeceptionWorld

__all__ = ["PARAMETERS", "REGIMES", "DeceptionWorld"]
