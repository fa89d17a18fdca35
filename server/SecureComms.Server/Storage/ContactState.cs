namespace SecureComms.Server.Storage;

/// <summary>
/// The relation between a user and another, as that user sees it (<see cref="IServerStore.ListContactsAsync"/>).
/// </summary>
/// <remarks>
/// <para><b>Model.</b> The store keeps, for each ordered pair (owner, peer), at most one row: the owner's own
/// disposition towards the peer, one of <i>requested</i>, <i>accepted</i>, <i>declined</i>, <i>blocked</i>.
/// <i>accepted</i> rows only ever exist in pairs (both directions), so "accepted contacts" is symmetric.</para>
/// <para><b>Transitions</b> (actor U, peer P; U→P is U's row):</para>
/// <list type="table">
/// <item><term>Request(U, P)</term><description>U→P blocked: <see cref="ContactOutcome.UnblockFirst"/>.
/// Already accepted: <see cref="ContactOutcome.AlreadyContacts"/>. P→U requested (P asked first): both rows
/// become accepted, <see cref="ContactOutcome.Accepted"/>. Otherwise U→P := requested,
/// <see cref="ContactOutcome.RequestSent"/>, also when P has declined or blocked U: the request is recorded but
/// P never sees it, and U cannot tell ("blocking hides requests").</description></item>
/// <item><term>Accept(U, P)</term><description>Needs P→U requested and U→P absent or declined (a change of
/// mind): both rows become accepted. Blocked by U, or no request: <see cref="ContactOutcome.NoPendingRequest"/>.</description></item>
/// <item><term>Decline(U, P)</term><description>Needs P→U requested and U→P absent or declined: U→P :=
/// declined; P's request stays, hidden from U's list except as <see cref="Declined"/>, and P keeps seeing
/// <see cref="RequestSent"/> (a decline is not announced).</description></item>
/// <item><term>Block(U, P)</term><description>U→P := blocked; an accepted relation ends (P→U accepted is
/// deleted, so P sees U vanish as after a removal, not a block). P's pending request, if any, stays hidden.</description></item>
/// <item><term>Remove(U, P)</term><description>Deletes U→P (withdraws a request, undoes a decline, unblocks);
/// removing an accepted contact deletes both rows. After an unblock or undone decline, P's hidden request
/// shows again as <see cref="RequestReceived"/>.</description></item>
/// </list>
/// </remarks>
public enum ContactState
{
    /// <summary>The user asked the peer; no answer the user may see yet (a decline or block by the peer looks the same).</summary>
    RequestSent,

    /// <summary>The peer asked the user; the user has not answered.</summary>
    RequestReceived,

    /// <summary>Both agreed: presence and messages flow between them.</summary>
    Accepted,

    /// <summary>The user declined the peer's request.</summary>
    Declined,

    /// <summary>The user blocks the peer.</summary>
    Blocked,
}
