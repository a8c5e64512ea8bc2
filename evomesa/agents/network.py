"""The reflex network's decision kernels (see "Reflex network rule" in :mod:`.kernels`, whose
interface re-exports them): :func:`feels`, :func:`sense`, :func:`respond` and
:func:`note_features`."""

from __future__ import annotations

import numpy as np
from numba import njit

from evomesa.agents.brains import FEATURE_BINS, NET
from evomesa.agents.layout import _ARCH, _FEAT0, _HID, _NA, _NET0, _NF, _SUP0, _randint
from evomesa.agents.squash import squash

#: the hidden units' tanh (:mod:`.squash`), compiled from the twin's own function
_squash = njit(cache=True, nogil=True, inline="always")(squash)


@njit(cache=True, nogil=True)
def feels(mind, state) -> bool:
    """True when the agent decides from perceived features (a reflex network): the world then
    calls :func:`sense` for each feature and :func:`respond`."""
    return state[_ARCH] == NET


@njit(cache=True, nogil=True)
def sense(mind, state, feature, value) -> None:
    """Show the agent ``value`` (in the feature's declared bounds, within [-1, 1]) of perceived
    feature ``feature`` (its index in the world's ``features``) for the coming decision."""
    mind[state[_FEAT0] + feature] = value


#: unsigned index arithmetic in the network's loops: numba corrects a negative (signed) index
#: from the end of the array on every access, a shift, a mask and an add per weight read
#: that made up most of a network's multiply-adds (unsigned indices skip it)
_U0, _U1, _U2, _U3, _U4 = (np.uint64(k) for k in range(5))


@njit(cache=True, nogil=True, inline="always")
def _four(mind, b, w, stride, x, n_in):
    """Units ``b .. b+3`` (their biases at ``mind[b..]``, the weight of input ``k`` into them
    at ``mind[w + k * stride ..]``) over inputs ``mind[x .. x + n_in - 1]``: four sums, each
    in input order, kept apart in registers so that they advance together."""
    s0 = mind[b]
    s1 = mind[b + _U1]
    s2 = mind[b + _U2]
    s3 = mind[b + _U3]
    for k in range(n_in):
        xk = mind[x + k]
        c = w + k * stride
        s0 += mind[c] * xk
        s1 += mind[c + _U1] * xk
        s2 += mind[c + _U2] * xk
        s3 += mind[c + _U3] * xk
    return s0, s1, s2, s3


@njit(cache=True, nogil=True, inline="always")
def _layer(mind, w0, b0, x, n_in, n_out, out) -> None:
    """``mind[out + j] = b_j + sum_k w_jk x_k`` for each of ``n_out`` units, every sum in
    input order (the documented rule, bit for bit), weights transposed (:func:`_load_net`).
    With ``b0 = out`` it adds the terms on to the sums already there (each continues in
    order: the output layer's hidden terms, then its direct ones).

    Speed: a sum is a chain of dependent additions; taking units four (then two, then one) at
    a time runs four chains side by side instead of one after another. Inlined into
    :func:`respond` (a network's step ~5 % cheaper than calling it)."""
    j = _U0
    while j + _U4 <= n_out:
        s0, s1, s2, s3 = _four(mind, b0 + j, w0 + j, n_out, x, n_in)
        mind[out + j] = s0
        mind[out + j + _U1] = s1
        mind[out + j + _U2] = s2
        mind[out + j + _U3] = s3
        j += _U4
    while j + _U2 <= n_out:
        s0 = mind[b0 + j]
        s1 = mind[b0 + j + _U1]
        for k in range(n_in):
            xk = mind[x + k]
            c = w0 + j + k * n_out
            s0 += mind[c] * xk
            s1 += mind[c + _U1] * xk
        mind[out + j] = s0
        mind[out + j + _U1] = s1
        j += _U2
    while j < n_out:
        s0 = mind[b0 + j]
        for k in range(n_in):
            s0 += mind[w0 + j + k * n_out] * mind[x + k]
        mind[out + j] = s0
        j += _U1


@njit(cache=True, nogil=True)
def respond(mind, state) -> int:
    """The reflex network's action on the features sensed: the output unit of greatest value,
    ties broken by a uniform draw from the agent's stream (reservoir sampling, in action
    order). See "Reflex network rule" (and "Speed")."""
    net0 = np.uint64(state[_NET0])
    x = np.uint64(state[_FEAT0])
    nf = np.uint64(state[_NF])
    hidden = np.uint64(state[_HID])
    n_actions = np.uint64(state[_NA])
    h = x + nf
    out = h + hidden
    inputs = x
    n_in = nf
    if hidden > _U0:
        b1 = net0 + nf * hidden
        _layer(mind, net0, b1, x, nf, hidden, h)
        memo = out + n_actions
        for j in range(hidden):
            v = mind[h + j]
            # a unit given the same nonzero input as at its last tanh reuses that tanh
            # (== does not tell -0.0 from 0.0; an input of 0 is simply recomputed)
            if v == mind[memo + j] and v != 0.0:
                mind[h + j] = mind[memo + hidden + j]
            else:
                t = _squash(v)
                mind[memo + j] = v
                mind[memo + hidden + j] = t
                mind[h + j] = t
        inputs = h
        n_in = hidden
        net0 = b1 + hidden
    b2 = net0 + n_in * n_actions
    _layer(mind, net0, b2, inputs, n_in, n_actions, out)
    if hidden > _U0:  # direct input -> output weights, added on after the hidden terms
        _layer(mind, b2 + n_actions, out, x, nf, n_actions, out)
    best = mind[out]
    best_action = np.int64(0)
    ties = np.int64(1)
    for a in range(1, state[_NA]):
        s = mind[out + np.uint64(a)]
        if s == best:  # rare: a well-predicted branch
            ties += 1
            if _randint(state, ties) == 0:
                best_action = a
        else:  # greater or not is a coin flip to the branch predictor: selects
            better = s > best
            best = s if better else best
            best_action = a if better else best_action
            ties = 1 if better else ties
    return best_action


@njit(cache=True, nogil=True)
def note_features(mind, state, visits) -> None:
    """Count one network decision in ``visits`` (n_features * FEATURE_BINS + 1,) int32: one
    count in each feature's bin, and, when the agent carries a training support, one in the
    last slot if some feature fell in a bin that support never met (a novel input)."""
    x0 = state[_FEAT0]
    sup0 = state[_SUP0]
    novel = False
    for k in range(state[_NF]):
        b = int((mind[x0 + k] + 1.0) * (0.5 * FEATURE_BINS))
        b = min(max(b, 0), FEATURE_BINS - 1)
        visits[k * FEATURE_BINS + b] += 1
        if sup0 >= 0 and state[sup0 + k * FEATURE_BINS + b] == 0:
            novel = True
    if novel:
        visits[visits.shape[0] - 1] += 1
