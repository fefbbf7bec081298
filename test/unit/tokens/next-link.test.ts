// OCPI 2.2.1 transport §4.1.4.1 pagination: reading `Link: <url>; rel="next"` for the token-sync pull.
import { expect } from 'chai';
import { nextPageQuery, parseNextLink } from '../../../src/tokens/next-link.ts';

const ENDPOINT = 'https://emsp.test/ocpi/2.2.1/tokens';

describe('tokens/next-link', () => {
  it('§4.1.4.1 example: should read the next URL of a Link header', () => {
    expect(parseNextLink('<https://www.server.com/ocpi/cpo/2.2.1/cdrs/?offset=150&limit=50>; rel="next"')).to.equal('https://www.server.com/ocpi/cpo/2.2.1/cdrs/?offset=150&limit=50');
  });

  it('should pick rel=next among several links and ignore other relations', () => {
    expect(parseNextLink('<https://a.test/x?offset=0>; rel="prev", <https://a.test/x?offset=20>; rel=next')).to.equal('https://a.test/x?offset=20');
    expect(parseNextLink('<https://a.test/x?offset=0>; rel="prev"')).to.equal(undefined);
    expect(parseNextLink(null)).to.equal(undefined);
  });

  it('should turn a next link of the same endpoint into its query, trailing slash or not', () => {
    expect(nextPageQuery(`${ENDPOINT}/?offset=50&limit=50&date_from=2025-01-01T00:00:00Z`, ENDPOINT)).to.deep.equal({ offset: '50', limit: '50', date_from: '2025-01-01T00:00:00Z' });
  });

  it('should refuse a next link to another host or path (our token must not leave the endpoint)', () => {
    expect(nextPageQuery('https://evil.test/ocpi/2.2.1/tokens?offset=50', ENDPOINT)).to.equal(undefined);
    expect(nextPageQuery('https://emsp.test/ocpi/2.2.1/cdrs?offset=50', ENDPOINT)).to.equal(undefined);
    expect(nextPageQuery('not a url', 'also not')).to.equal(undefined);
  });
});
