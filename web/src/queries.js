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
fragment Why on Explanation { score reasons { factor value contribution zh en evidence { ...SignalLine } } }
fragment SignalLine on Signal { id kind title url source trust occurredAt exclusions { customerId by at note } }`;

export const feedbackMutation = `mutation Feedback($input: FeedbackInput!) {
  submitFeedback(input: $input) { id kind createdAt effectZh effectEn }
}`;
