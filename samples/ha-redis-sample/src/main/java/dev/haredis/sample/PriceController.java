package dev.haredis.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /prices/{item}}: a cached lookup. While Redis fails over, the cache misses instead of failing.
 */
@RestController
class PriceController {

	private final PriceService prices;

	PriceController(PriceService prices) {
		this.prices = prices;
	}

	@GetMapping("/prices/{item}")
	PriceService.Price price(@PathVariable String item) {
		return this.prices.price(item);
	}

}
