import { expect } from 'chai';
import { writeInKeyOrder } from '../../../src/db/key-order.ts';

describe('writeInKeyOrder', () => {
  it('should write the items one at a time in the order of their keys and answer in the order of the items', async () => {
    // Arrange
    const items = ['cp-c', 'cp-a', 'cp-b', 'cp-a'];
    const written: string[] = [];
    let running = 0;

    // Act
    const results = await writeInKeyOrder(items, (id) => id, async (id) => {
      running++;
      expect(running).to.equal(1);
      await Promise.resolve();
      written.push(id);
      running--;
      return `${id}:${written.length}`;
    });

    // Assert
    expect(written).to.deep.equal(['cp-a', 'cp-a', 'cp-b', 'cp-c']);
    expect(results).to.deep.equal(['cp-c:4', 'cp-a:1', 'cp-b:3', 'cp-a:2']);
  });
});
