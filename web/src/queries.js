// Every GraphQL operation the app sends, in one place: the app calls the
// public API only, and these are what it asks of it. Each is one plain
// template literal (fragments, no ${} interpolation), so that a Go test
// (resolvers: TestWebAppQueries) validates them against the schema.

export const viewerQuery = `query Viewer { viewer { name role repId } }`;

export const customersQuery = `query Customers($filter: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $filter, first: $first, after: $after) {
    edges { node { id name aliases region industry stage stageConfidence tier tierScore signalCount lastSignalAt
      owner { id name } risks { replacement churn credit } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const briefQuery = `query Brief($id: ID!) {
  brief(customerId: $id) {
    generatedAt lastVisit
    customer { id name aliases region industry size owner { id name } }
    assessment {
      at modelVersion stage stageConfidence modelStage modelStageConfidence tier tierScore
      risks { replacement churn credit }
      corrections { feedbackId kind score by at note stage trust standing endedAt endedZh endedEn endedBy { ...SignalLine } }
      stageWhy { ...Why }
      tierWhy { ...Why }
      replacementWhy { ...Why }
      churnWhy { ...Why }
      creditWhy { ...Why }
    }
    painPoints { need { id name category } strength lastSeen bestTrust evidence { ...SignalLine } offerings { id name description } }
    decisionMakers { change person { id name title role email phone since until reportsTo knownBy { repId contacts answered lastContact } } }
    competitors { competitor { id name } mentions lastSeen }
    changes { ...SignalLine }
    talkingPoints { zh en whyZh whyEn evidence { ...SignalLine } }
    feedback { id kind author createdAt text effectZh effectEn reviewId }
  }
}
fragment Why on Explanation { score reasons { factor value contribution zh en evidence { ...SignalLine } parts { factor value contribution zh en } } }
fragment SignalLine on Signal { id kind title url source trust occurredAt exclusions { customerId by at note } }`;

export const feedbackMutation = `mutation Feedback($input: FeedbackInput!) {
  submitFeedback(input: $input) { id kind createdAt effectZh effectEn }
}`;

export const neighbourhoodQuery = `query Neighbourhood($id: ID!, $depth: Int, $types: [NodeKind!], $first: Int) {
  neighbourhood(id: $id, depth: $depth, types: $types, first: $first) {
    root { kind id name }
    nodes { kind id name }
    edges { from to type count }
    truncated
  }
  neighbourCounts(id: $id) { kind count }
}`;

export const neighbourCountsQuery = `query NeighbourCounts($id: ID!) { neighbourCounts(id: $id) { kind count } }`;

export const exploreSearchQuery = `query ExploreSearch($text: String!) { search(text: $text, first: 8) { kind id name } }`;

export const nodeCustomerQuery = `query NodeCustomer($id: ID!) {
  customer(id: $id) { id name region industry stage tier signalCount lastSignalAt owner { id name }
    people { id name title role email phone until } }
}`;

export const nodeCompetitorQuery = `query NodeCompetitor($id: ID!) {
  competitorFootprint(competitorId: $id, first: 8) { customer { id name } signals won lastSeen }
}`;

export const nodeNeedQuery = `query NodeNeed($id: ID!) {
  customersSharingNeed(needId: $id, first: 8) { customer { id name } signals lastSeen }
}`;

export const nodeSignalQuery = `query NodeSignal($id: ID!) { signal(id: $id) { id kind title url source trust occurredAt } }`;

export const pathsQuery = `query Paths($from: ID!, $to: ID!) {
  paths(from: $from, to: $to, maxHops: 4, first: 5) { nodes { kind id name } edges { from to type count } }
}`;

export const reviewQueueQuery = `query ReviewQueue($status: ReviewStatus, $first: Int) {
  reviewQueue(status: $status, first: $first) { id name source reason provisionalId status createdAt candidates { id kind name score } }
}`;

export const resolveReviewMutation = `mutation ResolveReview($id: ID!, $candidateId: ID, $reject: Boolean) {
  resolveReview(id: $id, candidateId: $candidateId, reject: $reject) { id status }
}`;

export const modelVersionsQuery = `query ModelVersions {
  modelVersions { version status trainedAt trainingSize accuracy previousAccuracy riskLogLoss previousRiskLogLoss heldOut }
}`;

export const activateModelMutation = `mutation ActivateModel($version: String!) { activateModel(version: $version) { version status } }`;

export const rollbackModelMutation = `mutation RollbackModel { rollbackModel { version status } }`;

export const historyQuery = `query History($id: ID!, $first: Int) {
  customer(id: $id) { id history(first: $first) { at stage stageBy tier tierScore risks { replacement churn } } }
}`;

export const driftQuery = `query Drift($since: Time!, $minLevels: Int) {
  drift(since: $since, minLevels: $minLevels) {
    customer { id name region }
    before { at stage tier tierScore }
    after { at stage tier tierScore }
    tierLevels stageLevels
    causes { score factor change zh en }
  }
}`;

export const sourcesQuery = `query Sources { sources { id trust crawled lastRunAt pages records errors flagged } }`;

export const runCrawlMutation = `mutation RunCrawl($source: String!) { runCrawl(source: $source) }`;
export const feedQuery = `query Feed($first: Int, $after: String, $since: Time) {
  subscriptions { id name }
  feed(first: $first, after: $after, since: $since) {
    total unread unreadOwnCustomer truncated windowStart asOf
    pageInfo { hasNextPage endCursor }
    edges { cursor node { unread ownCustomer subscriptions
      signal { id kind title url source trust occurredAt ingestedAt }
      customers { id name role own } } }
  }
}`;

export const markFeedReadMutation = `mutation MarkFeedRead($until: Time) { markFeedRead(until: $until) { id lastReadAt } }`;

export const subscriptionsQuery = `query Subscriptions { subscriptions { ...Sub } }
fragment Sub on SignalSubscription { id name createdAt updatedAt lastReadAt kinds industries regions keywords customerIds trust }`;

export const createSubscriptionMutation = `mutation CreateSubscription($input: SubscriptionInput!) {
  createSubscription(input: $input) { ...Sub }
}
fragment Sub on SignalSubscription { id name createdAt updatedAt lastReadAt kinds industries regions keywords customerIds trust }`;

export const updateSubscriptionMutation = `mutation UpdateSubscription($id: ID!, $input: SubscriptionInput!) {
  updateSubscription(id: $id, input: $input) { ...Sub }
}
fragment Sub on SignalSubscription { id name createdAt updatedAt lastReadAt kinds industries regions keywords customerIds trust }`;

export const deleteSubscriptionMutation = `mutation DeleteSubscription($id: ID!) { deleteSubscription(id: $id) }`;

export const alertsQuery = `query Alerts($filter: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $filter, first: $first, after: $after) {
    edges { node { id kind from to risk at customer { id name } owner { id name } causes { score factor zh en }
      followUp { followed by at } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const alertSummaryQuery = `query AlertSummary($since: Time) {
  alertSummary(since: $since) { owner { id name } raised followed unfollowed lastAt }
}`;
