"""The reflex network kernel against its plain-Python twin, and its documented rule."""

import numpy as np
import pytest
from numba import njit

from evomesa.agents import NET, Brains
from evomesa.agents.brains import FEATURE_BINS, net_size
from evomesa.agents.kernels import feels, make_agent, note_features, respond, sense, wants_menu
from evomesa.agents.network import _squash
from evomesa.agents.reference import Agent
from evomesa.agents.squash import squash

N_DRIVES, N_OBS = 3, 5


@njit(cache=True)
def _respond_all(brains, i, seed, inputs, visits):
    """The numba agent's action on every row of ``inputs`` (m, n_features), recording."""
    mind, state = make_agent(brains, i, np.ones(brains[2].shape[1]), seed)
    out = np.zeros(inputs.shape[0], dtype=np.int64)
    for r in range(inputs.shape[0]):
        for k in range(inputs.shape[1]):
            sense(mind, state, k, inputs[r, k])
        note_features(mind, state, visits)
        out[r] = respond(mind, state)
    return out, feels(mind, state), wants_menu(mind, state)


def _brains(rng, n, n_features, hidden, n_actions, support=None, quantise=False):
    size = net_size(n_features, hidden, n_actions)
    net = rng.uniform(-3, 3, size=(n, size))
    if quantise:  # few distinct values: many exact ties between outputs
        net = np.round(net)
    return Brains(
        arch=np.full(n, NET, dtype=np.int8),
        table=np.zeros((n, N_OBS), dtype=np.int8),
        weights=np.zeros((n, N_DRIVES)),
        horizon=np.zeros(n, dtype=np.int64),
        gamma=np.ones(n),
        net=net,
        net_dims=(n_features, hidden, n_actions),
        support=support,
    )


def _python(brains, i, seed, inputs, n_recorded):
    agent = Agent(brains, i, np.ones(N_DRIVES), seed)
    visits = [0] * n_recorded
    return [agent.respond(x, visits) for x in inputs], visits


def _kernel_and_twin(brains, i, seed, inputs):
    """Agent ``i`` deciding on every row of ``inputs`` in the kernel and in the twin:
    (actions, visits, feels, menu) of the kernel, then (actions, visits) of the twin."""
    n_recorded = brains.net_dims[0] * FEATURE_BINS + 1
    visits = np.zeros(n_recorded, dtype=np.int32)
    actions, feels, menu = _respond_all(brains.packed(), i, seed, inputs, visits)
    return (actions, visits, feels, menu), _python(brains, i, seed, inputs, n_recorded)


@pytest.mark.parametrize("hidden", [0, 1, 3, 6, 9])
@pytest.mark.parametrize("ties", [False, True])
def test_network_kernel_equals_its_python_twin_on_random_inputs(hidden, ties):
    rng = np.random.default_rng(3 + hidden + 10 * ties)
    n_features, n_actions = 7, 5
    support = (rng.random((4, n_features * FEATURE_BINS)) < 0.8).astype(np.uint8)
    brains = _brains(rng, 4, n_features, hidden, n_actions, support, quantise=ties)
    inputs = rng.uniform(-1, 1, size=(300, n_features))
    if ties:
        inputs = np.round(inputs)  # with integer weights: exact ties, broken at random
    inputs[:5] = np.array([-1.0, 1.0, 0.0, 0.999, -0.999, 0.5, -0.5])  # bin edges
    for i in range(4):
        kernel, twin = _kernel_and_twin(brains, i, 11 + i, inputs)
        (actions, visits, net_feels, menu), (twin_actions, twin_visits) = kernel, twin
        assert actions.tolist() == twin_actions
        assert visits.tolist() == twin_visits
        assert net_feels and not menu
        assert set(actions.tolist()) <= set(range(n_actions))
    if ties:  # ties really were broken both ways
        assert len(set(actions.tolist())) > 1


def _forward(net, x, hidden, n_actions):
    """The documented rule, written out with numpy: tanh hidden units, linear outputs over
    them and, directly, the inputs."""
    nf = x.shape[0]
    if hidden == 0:
        w, b = net[: n_actions * nf].reshape(n_actions, nf), net[n_actions * nf :]
        return b + w @ x
    w1 = net[: hidden * nf].reshape(hidden, nf)
    b1 = net[hidden * nf : hidden * nf + hidden]
    rest = net[hidden * nf + hidden :]
    w2 = rest[: n_actions * hidden].reshape(n_actions, hidden)
    b2 = rest[n_actions * hidden : n_actions * (hidden + 1)]
    skip = rest[n_actions * (hidden + 1) :].reshape(n_actions, nf)
    return b2 + w2 @ np.tanh(b1 + w1 @ x) + skip @ x


@pytest.mark.parametrize("hidden", [0, 4])
def test_network_takes_the_action_of_greatest_output(hidden):
    rng = np.random.default_rng(5)
    brains = _brains(rng, 1, 6, hidden, 4)
    agent = Agent(brains, 0, np.ones(N_DRIVES), 0)
    for x in rng.uniform(-1, 1, size=(200, 6)):
        outputs = _forward(brains.net[0], x, hidden, 4)
        assert agent.respond(x) == int(np.argmax(outputs))


def test_novel_inputs_count_decisions_with_a_feature_in_a_bin_training_never_met():
    rng = np.random.default_rng(1)
    support = np.ones((1, 2 * FEATURE_BINS), dtype=np.uint8)
    support[0, FEATURE_BINS + FEATURE_BINS - 1] = 0  # feature 1 never met its top bin
    brains = _brains(rng, 1, 2, 0, 3, support)
    inputs = np.array([[0.0, 0.0], [0.0, 1.0], [-1.0, 0.99], [1.0, 0.5]])
    visits = np.zeros(2 * FEATURE_BINS + 1, dtype=np.int32)
    _respond_all(brains.packed(), 0, 0, inputs, visits)
    assert visits[-1] == 2  # the two decisions whose feature 1 lies in its top bin
    bins = visits[:-1].reshape(2, FEATURE_BINS)
    assert bins.sum(axis=1).tolist() == [4, 4]  # one bin per feature per decision
    assert bins[0, 0] == 1 and bins[0, FEATURE_BINS - 1] == 1  # -1 and 1 fall in the end bins
    assert bins[0, FEATURE_BINS // 2] == 2  # 0.0 opens the upper half


def test_the_units_tanh_agrees_between_numba_and_python_and_is_tanh():
    @njit(cache=False)
    def squash_all(x):
        out = np.empty_like(x)
        for k in range(x.shape[0]):
            out[k] = _squash(x[k])
        return out

    x = np.random.default_rng(0).normal(0, 4, size=10_000)
    x[:6] = [0.0, -0.0, 1e-300, -1e-300, 400.0, -400.0]
    kernel = squash_all(x)
    assert kernel.tolist() == [squash(v) for v in x]  # the twin's values, to the bit
    assert np.allclose(kernel, np.tanh(x), rtol=1e-14, atol=1e-16)
    assert kernel[4] == 1.0 and kernel[5] == -1.0


@pytest.mark.parametrize("hidden", [1, 6])
def test_repeated_inputs_decide_as_the_twin(hidden):
    # respond reuses a unit's last tanh when its input repeats: decisions on repeated
    # features (and on a zero input, which is never reused) are still the twin's
    rng = np.random.default_rng(8 + hidden)
    n_features, n_actions = 5, 4
    brains = _brains(rng, 3, n_features, hidden, n_actions, quantise=True)
    brains.net[:, hidden * n_features : hidden * (n_features + 1)] = 0.0  # zero biases
    rows = np.round(rng.uniform(-1, 1, size=(60, n_features)))
    inputs = np.repeat(rows, 3, axis=0)  # each row three times in a row
    inputs[::7] = 0.0  # every unit's input exactly 0
    inputs[1::7] = -0.0
    for i in range(3):
        (actions, *_), (twin_actions, _) = _kernel_and_twin(brains, i, 5 + i, inputs)
        assert actions.tolist() == twin_actions
