// Every GraphQL operation the app sends, in one place: the app calls the
// public API only, and these are what it asks of it.

export const viewerQuery = `query Viewer { viewer { name role repId } }`;

export const customersQuery = `query Customers($filter: CustomerFilter, $first: Int, $after: String) {
  customers(filter: $filter, first: $first, after: $after) {
    edges { node { id name aliases region industry stage stageConfidence tier tierScore signalCount lastSignalAt
      owner { id name } risks { replacement churn credit } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const signalFields = `id kind title url source trust occurredAt`;
const why = `score reasons { factor value contribution zh en evidence { ${signalFields} } }`;

export const briefQuery = `query Brief($id: ID!) {
  brief(customerId: $id) {
    generatedAt lastVisit
    customer { id name aliases region industry size owner { id name } }
    assessment {
      at modelVersion stage stageConfidence tier tierScore
      risks { replacement churn credit }
      stageWhy { ${why} }
      tierWhy { ${why} }
      replacementWhy { ${why} }
      churnWhy { ${why} }
      creditWhy { ${why} }
    }
    painPoints { need { id name category } strength lastSeen bestTrust evidence { ${signalFields} } offerings { id name description } }
    decisionMakers { change person { id name title role email phone since until reportsTo knownBy { repId contacts answered lastContact } } }
    competitors { competitor { id name } mentions lastSeen }
    changes { ${signalFields} }
    talkingPoints { zh en whyZh whyEn evidence { ${signalFields} } }
  }
}`;
